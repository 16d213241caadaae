import type { SetUserSettingsRequest, SetUserSettingsResponse } from '@aws-sdk/client-cognito-identity-provider';
import { operation } from './operation.js';

export default operation('mfa')<SetUserSettingsRequest, SetUserSettingsResponse>(async (input, { services }) => {
  await services.mfa.setSmsOptions({ accessToken: input.AccessToken! }, input.MFAOptions!);
  return {};
});
