import type { AdminUpdateUserAttributesRequest, AdminUpdateUserAttributesResponse } from '@aws-sdk/client-cognito-identity-provider';
import { operation } from './operation.js';

export default operation('users')<AdminUpdateUserAttributesRequest, AdminUpdateUserAttributesResponse>(async (input, { services }) => {
  await services.users.adminUpdateAttributes(input.UserPoolId!, input.Username!, input.UserAttributes!);
  return {};
});
