import type { DescribeManagedLoginBrandingRequest, DescribeManagedLoginBrandingResponse } from '@aws-sdk/client-cognito-identity-provider';
import { describeBranding } from '../domain/managed-login/branding.js';
import type { Wire } from '../domain/wire.js';
import { operation } from './operation.js';

/**
 * ReturnMergedResources asks for the style merged with Cognito's defaults; Gatehouse does not hold
 * those defaults, so it answers what is stored either way.
 */
export default operation('managedLoginBrandings')<DescribeManagedLoginBrandingRequest, Wire<DescribeManagedLoginBrandingResponse>>(async (input, { services }) => ({
  ManagedLoginBranding: describeBranding(await services.managedLoginBrandings.get(input.UserPoolId!, input.ManagedLoginBrandingId!)),
}));
