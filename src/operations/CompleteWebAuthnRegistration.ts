import type { CompleteWebAuthnRegistrationRequest, CompleteWebAuthnRegistrationResponse } from '@aws-sdk/client-cognito-identity-provider';
import { operation } from './operation.js';

export default operation('authentication', 'passkeys')<CompleteWebAuthnRegistrationRequest, CompleteWebAuthnRegistrationResponse>(async (input, { services }) => {
  const { user, clientId } = await services.authentication.holderOfAccessToken(input.AccessToken!);
  await services.passkeys.completeRegistration(user, clientId, input.Credential);
  return {};
});
