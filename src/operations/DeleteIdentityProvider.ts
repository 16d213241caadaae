import type { DeleteIdentityProviderRequest } from '@aws-sdk/client-cognito-identity-provider';
import { operation } from './operation.js';

export default operation('identityProviders')<DeleteIdentityProviderRequest, Record<string, never>>(async (input, { services }) => {
  await services.identityProviders.delete(input.UserPoolId!, input.ProviderName!);
  return {};
});
