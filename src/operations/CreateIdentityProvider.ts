import type { CreateIdentityProviderRequest, CreateIdentityProviderResponse } from '@aws-sdk/client-cognito-identity-provider';
import type { Wire } from '../domain/wire.js';
import { operation } from './operation.js';

export default operation('identityProviders')<CreateIdentityProviderRequest, Wire<CreateIdentityProviderResponse>>(async (input, { services }) => ({
  IdentityProvider: services.identityProviders.describe(await services.identityProviders.create(input)),
}));
