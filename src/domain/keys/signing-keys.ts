import { createHash, createPrivateKey, generateKeyPair as generateKeyPairCallback, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import type { Clock } from '../../clock.js';
import type { KeyPurpose, SigningKeyRecord, Storage } from '../../storage/types.js';
import type { SecretBox } from './secret-box.js';

const generateKeyPair = promisify(generateKeyPairCallback);

export interface PublicJwk {
  alg: 'RS256';
  e: string;
  kid: string;
  kty: 'RSA';
  n: string;
  use: 'sig';
}

/** Each pool signs ID and access tokens with keys of its own, as Cognito does. */
export class SigningKeys {
  constructor(
    private readonly storage: Storage,
    private readonly secretBox: SecretBox,
    private readonly clock: Clock,
  ) {}

  /** A fresh RSA-2048 key per token kind, made off the event loop. */
  async generateForPool(poolId: string): Promise<SigningKeyRecord[]> {
    const purposes: KeyPurpose[] = ['id', 'access'];
    return Promise.all(purposes.map((purpose) => this.generate(poolId, purpose)));
  }

  async jwks(poolId: string): Promise<{ keys: PublicJwk[] }> {
    const records = await this.storage.signingKeys.listForPool(poolId);
    return { keys: records.map((record) => record.publicJwk as unknown as PublicJwk) };
  }

  private async generate(poolId: string, purpose: KeyPurpose): Promise<SigningKeyRecord> {
    const { publicKey, privateKey } = await generateKeyPair('rsa', { modulusLength: 2048 });
    const { n, e } = publicKey.export({ format: 'jwk' });
    const kid = keyId(publicKey);
    return {
      kid,
      poolId,
      purpose,
      privateKeyPem: this.secretBox.seal(privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(), signingKeyContext(kid)),
      publicJwk: { alg: 'RS256', e: e!, kid, kty: 'RSA', n: n!, use: 'sig' } satisfies PublicJwk,
      createdAt: this.clock.now(),
    };
  }
}

/** A record's private key, sealed with the server key (keys stored in the clear are sealed at start). */
export function openPrivateKey(record: SigningKeyRecord, secretBox: SecretBox): KeyObject {
  return createPrivateKey(secretBox.open(record.privateKeyPem, signingKeyContext(record.kid)));
}

/** Binds a sealed private key to its own public key's id, so it opens in no other row. */
export const signingKeyContext = (kid: string) => `signing-key:${kid}`;

/** Base64 SHA-256 of the public key, the same look as Cognito's `kid` values. */
function keyId(publicKey: KeyObject): string {
  return createHash('sha256').update(publicKey.export({ format: 'der', type: 'spki' })).digest('base64');
}
