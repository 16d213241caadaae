import type { AdminDeleteUserAttributesRequest, AdminDeleteUserAttributesResponse } from '@aws-sdk/client-cognito-identity-provider';
import { operation } from './operation.js';

export default operation('users')<AdminDeleteUserAttributesRequest, AdminDeleteUserAttributesResponse>(async (input, { services }) => {
  await services.users.adminDeleteAttributes(input.UserPoolId!, input.Username!, input.UserAttributeNames!);
  return {};
});
