import type { ListUserPoolReplicasRequest, ListUserPoolReplicasResponse } from '@aws-sdk/client-cognito-identity-provider';
import { decodePageToken } from '../domain/pagination.js';
import { operation } from './operation.js';

// A pool has its primary and at most one replica: one page holds them all, and no NextToken is handed out.
export default operation('replicas')<ListUserPoolReplicasRequest, ListUserPoolReplicasResponse>(async (input, { services }) => {
  const after = decodePageToken(input.NextToken);
  const replicas = await services.replicas.list(input.UserPoolId!);
  return { UserPoolReplicas: after === undefined ? replicas : [] };
});
