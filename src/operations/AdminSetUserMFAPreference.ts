import type { AdminSetUserMFAPreferenceRequest, AdminSetUserMFAPreferenceResponse } from '@aws-sdk/client-cognito-identity-provider';
import { factorPreferences } from '../domain/mfa/user-mfa-state.js';
import { operation } from './operation.js';

export default operation('mfa')<AdminSetUserMFAPreferenceRequest, AdminSetUserMFAPreferenceResponse>(async (input, { services }) => {
  await services.mfa.setPreferences({ poolId: input.UserPoolId!, username: input.Username! }, factorPreferences(input));
  return {};
});
