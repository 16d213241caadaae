import type { Storage } from '../../storage/types.js';
import { clientSecretContext } from '../clients/app-clients.js';
import { SecretBox } from './secret-box.js';
import { signingKeyContext } from './signing-keys.js';

/**
 * Seals what databases from before sealing hold in the clear (signing keys, client secrets), once,
 * at start: from then on every secret is read only as sealed. What it sealed, for the log.
 */
export async function sealLegacySecrets(storage: Storage, secretBox: SecretBox): Promise<{ signingKeys: number; clientSecrets: number }> {
  let signingKeys = 0;
  for (const key of await storage.signingKeys.listAll()) {
    if (SecretBox.isSealed(key.privateKeyPem)) continue;
    await storage.signingKeys.replacePrivateKey(key.kid, secretBox.seal(key.privateKeyPem, signingKeyContext(key.kid)));
    signingKeys++;
  }
  let clientSecrets = 0;
  for (const client of await storage.clients.listWithSecrets()) {
    if (client.secret === null || SecretBox.isSealed(client.secret)) continue;
    // Conditional on the version read: a node that changed the client meanwhile wrote it sealed.
    if (await storage.clients.update({ ...client, secret: secretBox.seal(client.secret, clientSecretContext(client.clientId)) })) clientSecrets++;
  }
  return { signingKeys, clientSecrets };
}
