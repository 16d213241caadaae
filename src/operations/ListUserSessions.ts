import type { ListUserSessionsRequest, ListUserSessionsResponse } from '@aws-sdk/client-cognito-identity-provider';
import type { Wire } from '../domain/wire.js';
import { operation } from './operation.js';

export default operation('authentication', 'userSessions')<ListUserSessionsRequest, Wire<ListUserSessionsResponse>>(async (input, { services }) => {
  const { user, originJti } = await services.authentication.holderOfAccessToken(input.AccessToken!);
  return services.userSessions.list(user.poolId, user.sub, input.NextToken, originJti);
});
