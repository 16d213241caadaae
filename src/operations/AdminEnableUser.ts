import type { AdminEnableUserRequest, AdminEnableUserResponse } from '@aws-sdk/client-cognito-identity-provider';
import { operation } from './operation.js';

export default operation('users')<AdminEnableUserRequest, AdminEnableUserResponse>(async (input, { services }) => {
  await services.users.setEnabled(input.UserPoolId!, input.Username!, true);
  return {};
});
