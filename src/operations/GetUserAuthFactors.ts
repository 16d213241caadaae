import type { GetUserAuthFactorsRequest, GetUserAuthFactorsResponse } from '@aws-sdk/client-cognito-identity-provider';
import { operation } from './operation.js';

export default operation('authentication', 'users', 'secondFactors')<GetUserAuthFactorsRequest, GetUserAuthFactorsResponse>(async (input, { services }) => {
  const { user } = await services.authentication.holderOfAccessToken(input.AccessToken!);
  const { settings } = await services.users.poolContext(user.poolId);
  return services.secondFactors.authFactors(user, settings);
});
