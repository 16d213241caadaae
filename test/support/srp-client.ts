// The client side of Cognito's SRP (USER_SRP_AUTH / DEVICE_SRP_AUTH), written here from the reference
// (§3.4–3.5) with plain BigInt and node:crypto hashes, independently of src/domain/srp: the tests
// check the server against this and against amazon-cognito-identity-js, never against itself.
import { createHash, createHmac, randomBytes } from 'node:crypto';

/** RFC 3526 §4's 3072-bit MODP prime, copied from the reference rather than from OpenSSL. */
export const N = BigInt(
  '0x' +
    'FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD' +
    'EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED' +
    'EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F' +
    '83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B' +
    'E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510' +
    '15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7' +
    'ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200C' +
    'BBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF',
);
const g = 2n;

/** Java's BigInteger.toByteArray(): minimal big-endian bytes, 00 first when the top bit is set. */
export function pad(n: bigint): Buffer {
  let hex = n.toString(16);
  if (hex.length % 2 === 1) hex = `0${hex}`;
  else if (/^[89a-f]/.test(hex)) hex = `00${hex}`;
  return Buffer.from(hex, 'hex');
}

const sha256 = (...parts: (Buffer | string)[]) => {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest();
};
const toInt = (bytes: Buffer) => BigInt(`0x${bytes.toString('hex') || '0'}`);

function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  let b = ((base % modulus) + modulus) % modulus;
  for (let e = exponent; e > 0n; e >>= 1n) {
    if (e & 1n) result = (result * b) % modulus;
    b = (b * b) % modulus;
  }
  return result;
}

/** k = H(PAD(N) ‖ PAD(g)). */
export const k = toInt(sha256(pad(N), pad(g)));

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number) => String(n).padStart(2, '0');

/** `EEE MMM d HH:mm:ss UTC yyyy`, day not zero-padded; `padDay`/`weekdayShift` break it on purpose. */
export function srpTimestamp(ms: number, options: { padDay?: boolean; weekdayShift?: number } = {}): string {
  const d = new Date(ms);
  const weekday = WEEKDAYS[(d.getUTCDay() + (options.weekdayShift ?? 0)) % 7];
  const day = options.padDay ? two(d.getUTCDate()) : String(d.getUTCDate());
  return `${weekday} ${MONTHS[d.getUTCMonth()]} ${day} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`;
}

export interface SrpChallenge {
  SALT: string;
  SRP_B: string;
  SECRET_BLOCK: string;
}

/** One client side of one exchange: `srpA` goes into InitiateAuth (or DEVICE_SRP_AUTH), `claim` answers the challenge. */
export class SrpClient {
  private readonly a = toInt(randomBytes(128));
  readonly A = modPow(g, this.a, N);
  readonly srpA = this.A.toString(16);

  /**
   * PASSWORD_CLAIM_SIGNATURE for the challenge. User sign-in: `poolName` is the part of the pool id
   * after '_', `userId` is USER_ID_FOR_SRP. Device sign-in: DeviceGroupKey, DeviceKey and the device password.
   */
  signature(poolName: string, userId: string, password: string, challenge: SrpChallenge, timestamp: string): string {
    const B = BigInt(`0x${challenge.SRP_B}`);
    if (B % N === 0n) throw new Error('SRP_B mod N is 0');
    const u = toInt(sha256(pad(this.A), pad(B)));
    if (u === 0n) throw new Error('u is 0');
    const salt = BigInt(`0x${challenge.SALT}`);
    const x = toInt(sha256(pad(salt), sha256(`${poolName}${userId}:${password}`)));
    const S = modPow(B - k * modPow(g, x, N), this.a + u * x, N);
    const prk = createHmac('sha256', pad(u)).update(pad(S)).digest();
    const key = createHmac('sha256', prk).update(Buffer.concat([Buffer.from('Caldera Derived Key', 'utf8'), Buffer.from([1])])).digest().subarray(0, 16);
    return createHmac('sha256', key)
      .update(Buffer.concat([Buffer.from(poolName, 'utf8'), Buffer.from(userId, 'utf8'), Buffer.from(challenge.SECRET_BLOCK, 'base64'), Buffer.from(timestamp, 'utf8')]))
      .digest('base64');
  }

  /** The ChallengeResponses of PASSWORD_VERIFIER / DEVICE_PASSWORD_VERIFIER (add DEVICE_KEY / SECRET_HASH as needed). */
  claim(poolName: string, userId: string, password: string, challenge: SrpChallenge, timestamp: string): Record<string, string> {
    return {
      PASSWORD_CLAIM_SECRET_BLOCK: challenge.SECRET_BLOCK,
      PASSWORD_CLAIM_SIGNATURE: this.signature(poolName, userId, password, challenge, timestamp),
      TIMESTAMP: timestamp,
    };
  }
}

/** A device's secret and the DeviceSecretVerifierConfig ConfirmDevice takes, as the reference describes it. */
export function deviceVerifier(deviceGroupKey: string, deviceKey: string): { password: string; config: { PasswordVerifier: string; Salt: string } } {
  const password = randomBytes(40).toString('base64');
  const salt = toInt(randomBytes(16));
  const x = toInt(sha256(pad(salt), sha256(`${deviceGroupKey}${deviceKey}:${password}`)));
  return { password, config: { PasswordVerifier: pad(modPow(g, x, N)).toString('base64'), Salt: pad(salt).toString('base64') } };
}

/** The pool-name part of a pool id: `us-east-1_AbC123` → `AbC123`. */
export const poolNameOf = (poolId: string) => poolId.slice(poolId.indexOf('_') + 1);
