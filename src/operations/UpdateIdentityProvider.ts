import type { UpdateIdentityProviderRequest, UpdateIdentityProviderResponse } from '@aws-sdk/client-cognito-identity-provider';
import type { Wire } from '../domain/wire.js';
import { operation } from './operation.js';

export default operation('identityProviders')<UpdateIdentityProviderRequest, Wire<UpdateIdentityProviderResponse>>(async (input, { services }) => ({
  IdentityProvider: services.identityProviders.describe(await services.identityProviders.update(input)),
}));
