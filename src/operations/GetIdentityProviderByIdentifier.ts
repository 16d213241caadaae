import type { GetIdentityProviderByIdentifierRequest, GetIdentityProviderByIdentifierResponse } from '@aws-sdk/client-cognito-identity-provider';
import type { Wire } from '../domain/wire.js';
import { operation } from './operation.js';

export default operation('identityProviders')<GetIdentityProviderByIdentifierRequest, Wire<GetIdentityProviderByIdentifierResponse>>(async (input, { services }) => ({
  IdentityProvider: services.identityProviders.describe(await services.identityProviders.byIdentifier(input.UserPoolId!, input.IdpIdentifier!)),
}));
