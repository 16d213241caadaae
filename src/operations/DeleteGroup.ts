import type { DeleteGroupRequest } from '@aws-sdk/client-cognito-identity-provider';
import { operation } from './operation.js';

export default operation('groups')<DeleteGroupRequest, Record<string, never>>(async (input, { services }) => {
  await services.groups.delete(input.UserPoolId!, input.GroupName!);
  return {};
});
