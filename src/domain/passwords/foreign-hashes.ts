import { pbkdf2, scrypt, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { verify as bcryptVerify } from '@node-rs/bcrypt';

/**
 * Password hashes made by other systems, which an imported user keeps until their first sign-in
 * stores Gatehouse's own argon2id hash in its place: bcrypt (`$2a$`, `$2b$`, `$2y$`), scrypt and
 * PBKDF2 in PHC or passlib form (`$scrypt$ln=…,r=…,p=…$salt$hash`, `$pbkdf2-sha256$i=…$salt$hash`,
 * `$pbkdf2-sha256$29000$salt$hash`), and Django's `pbkdf2_sha256$…`. argon2 of any variant and
 * cost is read by the argon2 library itself.
 */
export type HashScheme = 'argon2' | 'bcrypt' | 'scrypt' | 'pbkdf2';

const pbkdf2Async = promisify(pbkdf2);
const scryptAsync = promisify(scrypt) as (password: string, salt: Buffer, length: number, options: { N: number; r: number; p: number; maxmem: number }) => Promise<Buffer>;

const PBKDF2_DIGESTS: Record<string, string> = { '': 'sha1', sha1: 'sha1', sha256: 'sha256', sha512: 'sha512' };
/** The largest scrypt cost accepted from a file (N = 2^20, 1 GiB at r = 8): beyond it a hash is a denial of service, not a password. */
const MAX_SCRYPT_LN = 20;
const MAX_PBKDF2_ITERATIONS = 10_000_000;

export function hashSchemeOf(hashed: string): HashScheme | undefined {
  if (/^\$argon2(id|i|d)\$/.test(hashed)) return 'argon2';
  if (/^\$2[abxy]\$\d\d\$[./A-Za-z0-9]{53}$/.test(hashed)) return 'bcrypt';
  if (parseScrypt(hashed)) return 'scrypt';
  if (parsePbkdf2(hashed)) return 'pbkdf2';
  return undefined;
}

/** Whether `password` matches a bcrypt, scrypt or PBKDF2 hash (false for anything unreadable). */
export async function verifyForeignHash(hashed: string, password: string): Promise<boolean> {
  try {
    const scheme = hashSchemeOf(hashed);
    if (scheme === 'bcrypt') return await bcryptVerify(password, hashed);
    if (scheme === 'scrypt') {
      const { ln, r, p, salt, hash } = parseScrypt(hashed)!;
      const N = 2 ** ln;
      return sameBytes(await scryptAsync(password, salt, hash.length, { N, r, p, maxmem: 256 * N * r }), hash);
    }
    if (scheme === 'pbkdf2') {
      const { digest, iterations, salt, hash } = parsePbkdf2(hashed)!;
      return sameBytes(await pbkdf2Async(password, salt, iterations, hash.length, digest), hash);
    }
  } catch {
    // an unreadable hash matches no password
  }
  return false;
}

const sameBytes = (a: Buffer, b: Buffer) => a.length === b.length && timingSafeEqual(a, b);

/** PHC's base64 without padding, and passlib's "adapted" base64 ('.' for '+'). */
const base64 = (text: string) => Buffer.from(text.replace(/\./g, '+'), 'base64');

function parseScrypt(hashed: string): { ln: number; r: number; p: number; salt: Buffer; hash: Buffer } | undefined {
  const match = /^\$scrypt\$ln=(\d+),r=(\d+),p=(\d+)\$([A-Za-z0-9+/.]+)\$([A-Za-z0-9+/.]+)$/.exec(hashed);
  if (!match) return undefined;
  const [ln, r, p] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (ln < 1 || ln > MAX_SCRYPT_LN || r < 1 || r > 32 || p < 1 || p > 16) return undefined;
  return { ln, r, p, salt: base64(match[4]!), hash: base64(match[5]!) };
}

function parsePbkdf2(hashed: string): { digest: string; iterations: number; salt: Buffer; hash: Buffer } | undefined {
  // PHC / passlib: $pbkdf2[-sha256]$<rounds or i=rounds[,l=length]>$<salt>$<hash>
  const modular = /^\$pbkdf2(?:-(sha1|sha256|sha512))?\$(?:i=)?(\d+)(?:,l=\d+)?\$([A-Za-z0-9+/.]+)\$([A-Za-z0-9+/.]+)$/.exec(hashed);
  // Django: pbkdf2_sha256$<rounds>$<salt as text>$<hash, base64>
  const django = /^pbkdf2_(sha1|sha256)\$(\d+)\$([^$]+)\$([A-Za-z0-9+/=]+)$/.exec(hashed);
  const match = modular ?? django;
  if (!match) return undefined;
  const iterations = Number(match[2]);
  if (iterations < 1 || iterations > MAX_PBKDF2_ITERATIONS) return undefined;
  return {
    digest: PBKDF2_DIGESTS[match[1] ?? '']!,
    iterations,
    salt: modular ? base64(match[3]!) : Buffer.from(match[3]!, 'utf8'),
    hash: modular ? base64(match[4]!) : Buffer.from(match[4]!, 'base64'),
  };
}
