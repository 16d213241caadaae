import type { Clock } from '../../clock.js';
import { DuplicateKeyError, type Storage } from '../../storage/types.js';
import type { SecretBox } from '../keys/secret-box.js';
import type { UserPools } from '../pools/user-pools.js';
import type { SamlKeyPair } from './saml/saml-keys.js';
import { loadSaml } from './saml/saml-loader.js';

interface SigningKeyBody {
  certificatePem: string;
  privateKeySealed: string;
}

const KEY = 'current';
/** What the pool's SAML signing key is sealed under. */
export const samlSigningKeyContext = (poolId: string) => `saml-signing-key:${poolId}`;

/**
 * The pool's SAML signing certificate (GetSigningCertificate): what signs its AuthnRequests and
 * LogoutRequests, made the first time it is asked for and kept, so IdPs that trust it keep working.
 */
export class SamlSigningKeys {
  constructor(
    private readonly storage: Storage,
    private readonly pools: UserPools,
    private readonly secretBox: SecretBox,
    private readonly clock: Clock,
  ) {}

  async current(poolId: string): Promise<SamlKeyPair> {
    const pool = await this.pools.get(poolId);
    const stored = await this.storage.poolDocuments.get<SigningKeyBody>(pool.id, 'saml-signing-key', KEY);
    if (stored) return this.opened(pool.id, stored.body);
    const keys = await (await loadSaml()).createSamlKeyPair(`${pool.id} SAML signing`, new Date(this.clock.now()));
    const now = this.clock.now();
    const body: SigningKeyBody = { certificatePem: keys.certificatePem, privateKeySealed: this.secretBox.seal(keys.privateKeyPem, samlSigningKeyContext(pool.id)) };
    try {
      await this.storage.poolDocuments.insert({ poolId: pool.id, kind: 'saml-signing-key', key: KEY, body, createdAt: now, updatedAt: now, version: 0 });
      return keys;
    } catch (error) {
      // Another request made the pool's key first: everyone uses that one.
      if (!(error instanceof DuplicateKeyError)) throw error;
      const winner = await this.storage.poolDocuments.get<SigningKeyBody>(pool.id, 'saml-signing-key', KEY);
      return this.opened(pool.id, winner!.body);
    }
  }

  private opened(poolId: string, body: SigningKeyBody): SamlKeyPair {
    return { certificatePem: body.certificatePem, privateKeyPem: this.secretBox.open(body.privateKeySealed, samlSigningKeyContext(poolId)) };
  }
}
