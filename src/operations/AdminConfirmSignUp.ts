import type { AdminConfirmSignUpRequest, AdminConfirmSignUpResponse } from '@aws-sdk/client-cognito-identity-provider';
import { operation } from './operation.js';

export default operation('users')<AdminConfirmSignUpRequest, AdminConfirmSignUpResponse>(async (input, { services }) => {
  await services.users.adminConfirmSignUp(input.UserPoolId!, input.Username!);
  return {};
});
