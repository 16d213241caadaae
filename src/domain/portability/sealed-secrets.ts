import type { ClientRecord, DeviceRecord, PoolDocumentRecord, SigningKeyRecord, UserRecord } from '../../storage/types.js';
import { clientSecretContext } from '../clients/app-clients.js';
import { deviceVerifierContext } from '../devices/devices.js';
import { providerSecretContext, type IdentityProviderBody } from '../federation/identity-providers.js';
import { SECRET_KEYS } from '../federation/provider-details.js';
import { samlSigningKeyContext } from '../federation/saml-signing-keys.js';
import { signingKeyContext } from '../keys/signing-keys.js';
import type { UserMfaState } from '../mfa/user-mfa-state.js';
import { totpSecretContext } from '../mfa/second-factors.js';
import { srpVerifierContext } from '../passwords/credentials.js';

/**
 * Every value Gatehouse seals with the server key, record by record, with the context it is sealed
 * under: an export opens them (the file carries them in the clear) and an import seals them with
 * the target's key. A secret added elsewhere must be added here, or it would not survive a move.
 */
export type SecretTransform = (value: string, context: string) => string;

export function userSecrets(user: UserRecord, transform: SecretTransform): UserRecord {
  const mfa = user.settings.mfa as UserMfaState | undefined;
  const totp = (secret: string) => transform(secret, totpSecretContext(user));
  return {
    ...user,
    srpVerifier: user.srpVerifier === null ? null : transform(user.srpVerifier, srpVerifierContext(user)),
    settings: !mfa
      ? user.settings
      : {
          ...user.settings,
          mfa: {
            ...mfa,
            ...(mfa.softwareToken && { softwareToken: { ...mfa.softwareToken, secret: totp(mfa.softwareToken.secret) } }),
            ...(mfa.pendingSoftwareToken && { pendingSoftwareToken: { secret: totp(mfa.pendingSoftwareToken.secret) } }),
          },
        },
  };
}

export const deviceSecrets = (device: DeviceRecord, transform: SecretTransform): DeviceRecord => ({
  ...device,
  verifier: device.verifier === null ? null : transform(device.verifier, deviceVerifierContext(device)),
});

export const clientSecrets = (client: ClientRecord, transform: SecretTransform): ClientRecord => ({
  ...client,
  secret: client.secret === null ? null : transform(client.secret, clientSecretContext(client.clientId)),
});

export const signingKeySecrets = (key: SigningKeyRecord, transform: SecretTransform): SigningKeyRecord => ({
  ...key,
  privateKeyPem: transform(key.privateKeyPem, signingKeyContext(key.kid)),
});

export function documentSecrets(document: PoolDocumentRecord, transform: SecretTransform): PoolDocumentRecord {
  if (document.kind === 'saml-signing-key') {
    const body = document.body as { privateKeySealed: string };
    return { ...document, body: { ...body, privateKeySealed: transform(body.privateKeySealed, samlSigningKeyContext(document.poolId)) } };
  }
  if (document.kind !== 'identity-provider') return document;
  const body = document.body as IdentityProviderBody;
  const details = { ...body.details };
  for (const key of SECRET_KEYS) if (details[key] !== undefined) details[key] = transform(details[key]!, providerSecretContext(document.poolId, document.key, key));
  const encryption = body.saml?.encryption;
  return {
    ...document,
    body: {
      ...body,
      details,
      ...(body.saml && {
        saml: { ...body.saml, ...(encryption && { encryption: { ...encryption, privateKeySealed: transform(encryption.privateKeySealed, providerSecretContext(document.poolId, document.key, 'encryption')) } }) },
      }),
    },
  };
}
