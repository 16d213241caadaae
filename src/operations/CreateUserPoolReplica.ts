import type { CreateUserPoolReplicaRequest, CreateUserPoolReplicaResponse } from '@aws-sdk/client-cognito-identity-provider';
import { operation } from './operation.js';

export default operation('replicas')<CreateUserPoolReplicaRequest, CreateUserPoolReplicaResponse>(async (input, { services }) => ({
  UserPoolReplica: await services.replicas.create(input.UserPoolId!, input.RegionName!, input.UserPoolTags),
}));
