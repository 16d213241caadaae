import type { AdminUserGlobalSignOutRequest, AdminUserGlobalSignOutResponse } from '@aws-sdk/client-cognito-identity-provider';
import { operation } from './operation.js';

export default operation('tokens', 'users')<AdminUserGlobalSignOutRequest, AdminUserGlobalSignOutResponse>(async (input, { services }) => {
  const { user } = await services.users.get(input.UserPoolId!, input.Username!);
  await services.tokens.signOutEverywhere(user.poolId, user.sub);
  return {};
});
