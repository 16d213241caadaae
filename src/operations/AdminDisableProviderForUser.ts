import type { AdminDisableProviderForUserRequest, AdminDisableProviderForUserResponse } from '@aws-sdk/client-cognito-identity-provider';
import { operation } from './operation.js';

export default operation('providerLinks')<AdminDisableProviderForUserRequest, AdminDisableProviderForUserResponse>(async (input, { services }) => {
  await services.providerLinks.disable(input.UserPoolId!, input.User!);
  return {};
});
