import type { AdminRemoveUserFromGroupRequest } from '@aws-sdk/client-cognito-identity-provider';
import { operation } from './operation.js';

export default operation('groups')<AdminRemoveUserFromGroupRequest, Record<string, never>>(async (input, { services }) => {
  await services.groups.removeUser(input.UserPoolId!, input.GroupName!, input.Username!);
  return {};
});
