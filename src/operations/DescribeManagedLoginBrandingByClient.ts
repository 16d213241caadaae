import type { DescribeManagedLoginBrandingByClientRequest, DescribeManagedLoginBrandingByClientResponse } from '@aws-sdk/client-cognito-identity-provider';
import { describeBranding } from '../domain/managed-login/branding.js';
import type { Wire } from '../domain/wire.js';
import { operation } from './operation.js';

/** ReturnMergedResources: what is stored either way, as DescribeManagedLoginBranding explains. */
export default operation('managedLoginBrandings')<DescribeManagedLoginBrandingByClientRequest, Wire<DescribeManagedLoginBrandingByClientResponse>>(
  async (input, { services }) => ({
    ManagedLoginBranding: describeBranding(await services.managedLoginBrandings.forClient(input.UserPoolId!, input.ClientId!)),
  }),
);
