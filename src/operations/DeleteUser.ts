import type { DeleteUserRequest } from '@aws-sdk/client-cognito-identity-provider';
import { operation } from './operation.js';

export default operation('ownAttributes')<DeleteUserRequest, Record<string, never>>(async (input, { services }) => {
  await services.ownAttributes.deleteUser(input.AccessToken!);
  return {};
});
