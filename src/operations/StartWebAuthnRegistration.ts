import type { StartWebAuthnRegistrationRequest, StartWebAuthnRegistrationResponse } from '@aws-sdk/client-cognito-identity-provider';
import { operation } from './operation.js';

export default operation('authentication', 'passkeys')<StartWebAuthnRegistrationRequest, StartWebAuthnRegistrationResponse>(async (input, { services }) => {
  const { user, clientId } = await services.authentication.holderOfAccessToken(input.AccessToken!);
  return { CredentialCreationOptions: (await services.passkeys.startRegistration(user, clientId)) as StartWebAuthnRegistrationResponse['CredentialCreationOptions'] };
});
