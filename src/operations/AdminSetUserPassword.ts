import type { AdminSetUserPasswordRequest, AdminSetUserPasswordResponse } from '@aws-sdk/client-cognito-identity-provider';
import { operation } from './operation.js';

export default operation('users')<AdminSetUserPasswordRequest, AdminSetUserPasswordResponse>(async (input, { services }) => {
  await services.users.adminSetPassword(input.UserPoolId!, input.Username!, input.Password!, input.Permanent === true);
  return {};
});
