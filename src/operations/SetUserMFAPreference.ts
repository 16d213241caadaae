import type { SetUserMFAPreferenceRequest, SetUserMFAPreferenceResponse } from '@aws-sdk/client-cognito-identity-provider';
import { factorPreferences } from '../domain/mfa/user-mfa-state.js';
import { operation } from './operation.js';

export default operation('mfa')<SetUserMFAPreferenceRequest, SetUserMFAPreferenceResponse>(async (input, { services }) => {
  await services.mfa.setPreferences({ accessToken: input.AccessToken! }, factorPreferences(input));
  return {};
});
