import type { CreateManagedLoginBrandingRequest, CreateManagedLoginBrandingResponse } from '@aws-sdk/client-cognito-identity-provider';
import { describeBranding } from '../domain/managed-login/branding.js';
import type { Wire } from '../domain/wire.js';
import { operation } from './operation.js';

export default operation('managedLoginBrandings')<Wire<CreateManagedLoginBrandingRequest>, Wire<CreateManagedLoginBrandingResponse>>(async (input, { services }) => ({
  ManagedLoginBranding: describeBranding(await services.managedLoginBrandings.create(input)),
}));
