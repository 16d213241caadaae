// The client half of Cognito's SRP for the load generator, on node:crypto so the bench spends as
// little CPU as possible beside the server it measures. Tests check the server against
// amazon-cognito-identity-js and an independent model; this only has to be fast and right.
import { createDiffieHellman, createHash, createHmac, getDiffieHellman, randomBytes } from 'node:crypto';

const PRIME = getDiffieHellman('modp15').getPrime();
const N = BigInt(`0x${PRIME.toString('hex')}`);
const G = 2n;

const hex = (value: bigint) => value.toString(16);
/** Minimal two's-complement big-endian bytes, as Cognito's clients pad. */
function pad(value: bigint): Buffer {
  let text = hex(value);
  if (text.length % 2 === 1) text = `0${text}`;
  else if (/^[89a-f]/.test(text)) text = `00${text}`;
  return Buffer.from(text, 'hex');
}
const sha256 = (...parts: Buffer[]) => createHash('sha256').update(Buffer.concat(parts)).digest();
const toInt = (bytes: Buffer) => BigInt(`0x${bytes.toString('hex') || '0'}`);
const K = toInt(sha256(pad(N), pad(G)));

function powMod(base: bigint, exponent: bigint): bigint {
  const dh = createDiffieHellman(PRIME, Buffer.from([2]));
  dh.setPrivateKey(Buffer.from(hex(exponent).padStart(Math.ceil(hex(exponent).length / 2) * 2, '0'), 'hex'));
  const reduced = ((base % N) + N) % N;
  if (reduced <= 1n) return reduced;
  return toInt(dh.computeSecret(Buffer.from(hex(reduced).padStart(768, '0'), 'hex')));
}

/** One user's long-lived client state: the ephemeral `a` is reused, which the server cannot tell. */
export class SrpClient {
  private readonly a = toInt(randomBytes(32));
  /** x and g^x for the last salt seen: a user's salt changes only with the password. */
  private derived: { salt: string; x: bigint; gx: bigint } | undefined;
  readonly srpA = hex(powMod(G, this.a));

  constructor(
    private readonly poolName: string,
    private readonly password: string,
  ) {}

  /** PASSWORD_VERIFIER's answer for the challenge parameters the server sent. */
  answer(challenge: Record<string, string>, timestamp: string): Record<string, string> {
    const userId = challenge.USER_ID_FOR_SRP!;
    const B = BigInt(`0x${challenge.SRP_B}`);
    if (this.derived?.salt !== challenge.SALT) {
      const salt = BigInt(`0x${challenge.SALT}`);
      const x = toInt(sha256(pad(salt), sha256(Buffer.from(`${this.poolName}${userId}:${this.password}`))));
      this.derived = { salt: challenge.SALT!, x, gx: powMod(G, x) };
    }
    const { x, gx } = this.derived;
    const u = toInt(sha256(pad(toInt(Buffer.from(this.srpA.padStart(Math.ceil(this.srpA.length / 2) * 2, '0'), 'hex'))), pad(B)));
    const S = powMod(B - K * gx, this.a + u * x);
    const prk = createHmac('sha256', pad(u)).update(pad(S)).digest();
    const key = createHmac('sha256', prk).update(Buffer.concat([Buffer.from('Caldera Derived Key'), Buffer.from([1])])).digest().subarray(0, 16);
    const signature = createHmac('sha256', key)
      .update(Buffer.concat([Buffer.from(this.poolName), Buffer.from(userId), Buffer.from(challenge.SECRET_BLOCK!, 'base64'), Buffer.from(timestamp)]))
      .digest('base64');
    return { USERNAME: userId, PASSWORD_CLAIM_SECRET_BLOCK: challenge.SECRET_BLOCK!, PASSWORD_CLAIM_SIGNATURE: signature, TIMESTAMP: timestamp };
  }
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number) => String(n).padStart(2, '0');

/** `EEE MMM d HH:mm:ss UTC yyyy`, as amazon-cognito-identity-js's DateHelper writes it. */
export function srpTimestamp(date = new Date()): string {
  return `${DAYS[date.getUTCDay()]} ${MONTHS[date.getUTCMonth()]} ${date.getUTCDate()} ${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())} UTC ${date.getUTCFullYear()}`;
}
