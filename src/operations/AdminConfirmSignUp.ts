import type { AdminConfirmSignUpRequest, AdminConfirmSignUpResponse } from '@aws-sdk/client-cognito-identity-provider';
import { callerOf, operation } from './operation.js';

export default operation('users')<AdminConfirmSignUpRequest, AdminConfirmSignUpResponse>(async (input, context) => {
  await context.services.users.adminConfirmSignUp(input.UserPoolId!, input.Username!, callerOf(input, context));
  return {};
});
