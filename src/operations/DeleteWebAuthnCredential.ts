import type { DeleteWebAuthnCredentialRequest, DeleteWebAuthnCredentialResponse } from '@aws-sdk/client-cognito-identity-provider';
import { operation } from './operation.js';

export default operation('authentication', 'passkeys')<DeleteWebAuthnCredentialRequest, DeleteWebAuthnCredentialResponse>(async (input, { services }) => {
  const { user } = await services.authentication.holderOfAccessToken(input.AccessToken!);
  await services.passkeys.delete(user, input.CredentialId!);
  return {};
});
