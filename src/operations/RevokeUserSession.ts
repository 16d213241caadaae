import type { RevokeUserSessionRequest, RevokeUserSessionResponse } from '@aws-sdk/client-cognito-identity-provider';
import { operation } from './operation.js';

export default operation('authentication', 'userSessions')<RevokeUserSessionRequest, RevokeUserSessionResponse>(async (input, { services }) => {
  const { user, originJti } = await services.authentication.holderOfAccessToken(input.AccessToken!);
  await services.userSessions.revoke(user.poolId, user.sub, input.SessionId!, originJti);
  return {};
});
