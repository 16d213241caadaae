import type { AdminSetUserSettingsRequest, AdminSetUserSettingsResponse } from '@aws-sdk/client-cognito-identity-provider';
import { operation } from './operation.js';

export default operation('mfa')<AdminSetUserSettingsRequest, AdminSetUserSettingsResponse>(async (input, { services }) => {
  await services.mfa.setSmsOptions({ poolId: input.UserPoolId!, username: input.Username! }, input.MFAOptions!);
  return {};
});
