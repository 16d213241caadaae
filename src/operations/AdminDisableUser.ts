import type { AdminDisableUserRequest, AdminDisableUserResponse } from '@aws-sdk/client-cognito-identity-provider';
import { operation } from './operation.js';

export default operation('users')<AdminDisableUserRequest, AdminDisableUserResponse>(async (input, { services }) => {
  await services.users.setEnabled(input.UserPoolId!, input.Username!, false);
  return {};
});
