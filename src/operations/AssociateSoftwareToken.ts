import type { AssociateSoftwareTokenRequest, AssociateSoftwareTokenResponse } from '@aws-sdk/client-cognito-identity-provider';
import { operation } from './operation.js';

export default operation('mfa')<AssociateSoftwareTokenRequest, AssociateSoftwareTokenResponse>(async (input, { services }) => {
  const { secretCode, session } = await services.mfa.associateSoftwareToken({ accessToken: input.AccessToken, session: input.Session });
  return { SecretCode: secretCode, ...(session && { Session: session }) };
});
