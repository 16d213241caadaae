import type { AdminListUserSessionsRequest, AdminListUserSessionsResponse } from '@aws-sdk/client-cognito-identity-provider';
import type { Wire } from '../domain/wire.js';
import { operation } from './operation.js';

export default operation('users', 'userSessions')<AdminListUserSessionsRequest, Wire<AdminListUserSessionsResponse>>(async (input, { services }) => {
  const { user } = await services.users.get(input.UserPoolId!, input.Username!);
  return services.userSessions.list(user.poolId, user.sub, input.NextToken);
});
