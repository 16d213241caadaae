import type { AdminAddUserToGroupRequest } from '@aws-sdk/client-cognito-identity-provider';
import { operation } from './operation.js';

export default operation('groups')<AdminAddUserToGroupRequest, Record<string, never>>(async (input, { services }) => {
  await services.groups.addUser(input.UserPoolId!, input.GroupName!, input.Username!);
  return {};
});
