import type { AdminRevokeUserSessionRequest, AdminRevokeUserSessionResponse } from '@aws-sdk/client-cognito-identity-provider';
import { operation } from './operation.js';

export default operation('users', 'userSessions')<AdminRevokeUserSessionRequest, AdminRevokeUserSessionResponse>(async (input, { services }) => {
  const { user } = await services.users.get(input.UserPoolId!, input.Username!);
  await services.userSessions.revoke(user.poolId, user.sub, input.SessionId!);
  return {};
});
