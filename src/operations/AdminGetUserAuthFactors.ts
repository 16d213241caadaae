import type { AdminGetUserAuthFactorsRequest, AdminGetUserAuthFactorsResponse } from '@aws-sdk/client-cognito-identity-provider';
import { operation } from './operation.js';

export default operation('users', 'secondFactors')<AdminGetUserAuthFactorsRequest, AdminGetUserAuthFactorsResponse>(async (input, { services }) => {
  const { context, user } = await services.users.get(input.UserPoolId!, input.Username!);
  return services.secondFactors.authFactors(user, context.settings);
});
