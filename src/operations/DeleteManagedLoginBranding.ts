import type { DeleteManagedLoginBrandingRequest } from '@aws-sdk/client-cognito-identity-provider';
import { operation } from './operation.js';

export default operation('managedLoginBrandings')<DeleteManagedLoginBrandingRequest, Record<string, never>>(async (input, { services }) => {
  await services.managedLoginBrandings.delete(input.UserPoolId!, input.ManagedLoginBrandingId!);
  return {};
});
