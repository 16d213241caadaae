import type { AdminDeleteUserRequest } from '@aws-sdk/client-cognito-identity-provider';
import { operation } from './operation.js';

export default operation('users')<AdminDeleteUserRequest, Record<string, never>>(async (input, { services }) => {
  await services.users.delete(input.UserPoolId!, input.Username!);
  return {};
});
