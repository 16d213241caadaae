import type { AdminUpdateUserAttributesRequest, AdminUpdateUserAttributesResponse } from '@aws-sdk/client-cognito-identity-provider';
import { callerOf, operation } from './operation.js';

export default operation('users')<AdminUpdateUserAttributesRequest, AdminUpdateUserAttributesResponse>(async (input, context) => {
  await context.services.users.adminUpdateAttributes(input.UserPoolId!, input.Username!, input.UserAttributes!, callerOf(input, context));
  return {};
});
