import type { UpdateUserPoolReplicaRequest, UpdateUserPoolReplicaResponse } from '@aws-sdk/client-cognito-identity-provider';
import { operation } from './operation.js';

export default operation('replicas')<UpdateUserPoolReplicaRequest, UpdateUserPoolReplicaResponse>(async (input, { services }) => ({
  UserPoolReplica: await services.replicas.update(input.UserPoolId!, input.RegionName!, input.Status!),
}));
