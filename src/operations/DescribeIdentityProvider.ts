import type { DescribeIdentityProviderRequest, DescribeIdentityProviderResponse } from '@aws-sdk/client-cognito-identity-provider';
import type { Wire } from '../domain/wire.js';
import { operation } from './operation.js';

export default operation('identityProviders')<DescribeIdentityProviderRequest, Wire<DescribeIdentityProviderResponse>>(async (input, { services }) => ({
  IdentityProvider: services.identityProviders.describe(await services.identityProviders.get(input.UserPoolId!, input.ProviderName!)),
}));
