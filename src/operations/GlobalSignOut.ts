import type { GlobalSignOutRequest, GlobalSignOutResponse } from '@aws-sdk/client-cognito-identity-provider';
import { operation } from './operation.js';

export default operation('authentication', 'tokens')<GlobalSignOutRequest, GlobalSignOutResponse>(async (input, { services }) => {
  const user = await services.authentication.userOfAccessToken(input.AccessToken!);
  await services.tokens.signOutEverywhere(user.poolId, user.sub);
  return {};
});
