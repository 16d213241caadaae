import type { DeleteUserPoolReplicaRequest, DeleteUserPoolReplicaResponse } from '@aws-sdk/client-cognito-identity-provider';
import { operation } from './operation.js';

export default operation('replicas')<DeleteUserPoolReplicaRequest, DeleteUserPoolReplicaResponse>(async (input, { services }) => ({
  UserPoolReplica: await services.replicas.delete(input.UserPoolId!, input.RegionName!),
}));
