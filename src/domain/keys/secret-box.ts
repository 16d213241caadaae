import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomBytes } from 'node:crypto';

const VERSION = 'gh1';
const IV_BYTES = 12;
const TAG_BYTES = 16;
// The server key may later derive other keys too; each use gets its own label.
const HKDF_INFO = 'gatehouse secret-box v1';
const MAC_INFO = 'gatehouse digest v1';
const SEALED = /^gh1\.([0-9a-f]{8})\.([A-Za-z0-9_-]+)$/;

export class SecretBoxError extends Error {}

/**
 * Seals what the database must keep but must not give away (signing keys, password verifiers)
 * with the server key: AES-256-GCM, with a context naming the secret's purpose and owner as
 * additional data, so a sealed value copied into another row does not open there.
 */
export class SecretBox {
  /** Names the server key in every sealed value, so a wrong key is told apart from tampering. */
  readonly keyId: string;
  private readonly aesKey: Buffer;
  private readonly macKey: Buffer;

  constructor(serverKey: Buffer) {
    if (serverKey.length < 32) throw new SecretBoxError('the server key must be at least 32 bytes');
    this.keyId = createHash('sha256').update(serverKey).digest('hex').slice(0, 8);
    this.aesKey = Buffer.from(hkdfSync('sha256', serverKey, Buffer.alloc(0), HKDF_INFO, 32));
    this.macKey = Buffer.from(hkdfSync('sha256', serverKey, Buffer.alloc(0), MAC_INFO, 32));
  }

  /** A keyed digest: the same on every node for the same input, unpredictable without the server key. */
  digest(input: string): Buffer {
    return createHmac('sha256', this.macKey).update(input, 'utf8').digest();
  }

  static isSealed(value: string): boolean {
    return SEALED.test(value);
  }

  /** `gh1.<key id>.<base64url of iv ‖ ciphertext ‖ tag>` */
  seal(plaintext: string, context: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.aesKey, iv).setAAD(Buffer.from(context, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return `${VERSION}.${this.keyId}.${Buffer.concat([iv, ciphertext, cipher.getAuthTag()]).toString('base64url')}`;
  }

  open(sealed: string, context: string): string {
    const [, keyId, payload] = SEALED.exec(sealed) ?? [];
    if (!keyId || !payload) throw new SecretBoxError(`not a value sealed by Gatehouse (${VERSION}.…)`);
    if (keyId !== this.keyId) {
      throw new SecretBoxError(`sealed with key ${keyId}, this server has key ${this.keyId}: every node must share the same server key`);
    }
    const bytes = Buffer.from(payload, 'base64url');
    if (bytes.length < IV_BYTES + TAG_BYTES) throw new SecretBoxError(`sealed value for ${context} is truncated`);
    const decipher = createDecipheriv('aes-256-gcm', this.aesKey, bytes.subarray(0, IV_BYTES))
      .setAAD(Buffer.from(context, 'utf8'))
      .setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
    try {
      return Buffer.concat([decipher.update(bytes.subarray(IV_BYTES, bytes.length - TAG_BYTES)), decipher.final()]).toString('utf8');
    } catch {
      throw new SecretBoxError(`sealed value does not open as ${context}: it was altered, or belongs to another record`);
    }
  }
}
