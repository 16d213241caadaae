import type { VerifySoftwareTokenRequest, VerifySoftwareTokenResponse } from '@aws-sdk/client-cognito-identity-provider';
import { operation } from './operation.js';

export default operation('mfa')<VerifySoftwareTokenRequest, VerifySoftwareTokenResponse>(async (input, { services }) => {
  const caller = { accessToken: input.AccessToken, session: input.Session };
  const { session } = await services.mfa.verifySoftwareToken(caller, input.UserCode!, input.FriendlyDeviceName);
  return { Status: 'SUCCESS', ...(session && { Session: session }) };
});
