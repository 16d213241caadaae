import type { AdminLinkProviderForUserRequest, AdminLinkProviderForUserResponse } from '@aws-sdk/client-cognito-identity-provider';
import { operation } from './operation.js';

export default operation('providerLinks')<AdminLinkProviderForUserRequest, AdminLinkProviderForUserResponse>(async (input, { services }) => {
  await services.providerLinks.link(input.UserPoolId!, input.DestinationUser!, input.SourceUser!);
  return {};
});
