// The server side of Cognito's SRP-6a (USER_SRP_AUTH / PASSWORD_VERIFIER and DEVICE_SRP_AUTH /
// DEVICE_PASSWORD_VERIFIER), matching amazon-cognito-identity-js bit for bit: reference §3.4–3.5.
//
// Hex strings are lower-case on output and any case on input. Two encodings matter to clients:
// - saltHex is in PAD form. Clients parse SALT as an integer and re-encode it with PAD before
//   hashing (pycognito-style clients hash the string as given), so only a PAD-form salt means the
//   same bytes to every client. Send it as SALT unchanged.
// - BHex is the plain hex of the integer, as Cognito sends SRP_B; every client parses it as a number.
import { createDiffieHellman, createHash, createHmac, getDiffieHellman, randomBytes, timingSafeEqual } from 'node:crypto';

export { isAcceptableTimestamp } from './srp-timestamp.js';

const PRIME = getDiffieHellman('modp15').getPrime(); // RFC 3526 3072-bit MODP group
const N = bytesToInt(PRIME);
const G = 2n;
/** SRP-6a's multiplier k = H(PAD(N) ‖ PAD(g)). */
const MULTIPLIER = hashToInt(pad(N), pad(G));
/** Longest hex number accepted from outside: bounds the work an attacker can ask for. */
const MAX_HEX_DIGITS = 1024;
/** Largest ConfirmDevice verifier or salt accepted, in bytes. */
const MAX_CONFIG_BYTES = 1024;
const HKDF_INFO = Buffer.concat([Buffer.from('Caldera Derived Key', 'utf8'), Buffer.from([1])]);

/** Derives the salt and verifier Cognito's clients expect for a password (user) sign-in. */
export function createPasswordVerifier(poolName: string, userId: string, password: string): { saltHex: string; verifierHex: string } {
  const salt = pad(bytesToInt(randomBytes(16)));
  const x = hashToInt(salt, sha256(Buffer.from(`${poolName}${userId}:${password}`, 'utf8')));
  return { saltHex: salt.toString('hex'), verifierHex: powMod(G, x).toString(16) };
}

/** The server's ephemeral pair for one SRP exchange: b secret, B = (k·v + g^b) mod N (retry if B mod N = 0). */
export function startServerExchange(verifierHex: string): { bHex: string; BHex: string } {
  const v = parseHex(verifierHex);
  if (v === undefined) throw new Error('startServerExchange: the stored verifier is not a hex number');
  for (;;) {
    const b = bytesToInt(randomBytes(32));
    const B = (MULTIPLIER * v + powMod(G, b)) % N;
    if (b !== 0n && B !== 0n) return { bHex: b.toString(16), BHex: B.toString(16) };
  }
}

/** True when SRP_A is acceptable: only hex digits, at most 1024 hex chars (bound the work), A mod N != 0. */
export function isAcceptableA(srpA: string): boolean {
  const A = parseHex(srpA);
  return A !== undefined && A % N !== 0n;
}

export interface PasswordClaim {
  /** User sign-in: the part of the pool id after '_'; device sign-in: the DeviceGroupKey. */
  poolName: string;
  /** User sign-in: USER_ID_FOR_SRP (the stored username); device sign-in: the DeviceKey. */
  userId: string;
  verifierHex: string;
  bHex: string;
  BHex: string;
  srpA: string;
  /** The SECRET_BLOCK the server sent (base64), signed as its decoded bytes. */
  secretBlock: string;
  /** TIMESTAMP exactly as received. */
  timestamp: string;
  /** PASSWORD_CLAIM_SIGNATURE, base64. */
  signature: string;
}

/** Checks PASSWORD_CLAIM_SIGNATURE exactly as Cognito does; constant-time compare; never throws on malformed input (returns false). */
export function checkPasswordClaim(claim: PasswordClaim): boolean {
  try {
    const given = decodeBase64Strictly(claim.signature);
    const key = sessionKey(claim);
    if (given === undefined || key === undefined) return false;
    const expected = createHmac('sha256', key)
      .update(Buffer.from(claim.poolName, 'utf8'))
      .update(Buffer.from(claim.userId, 'utf8'))
      .update(Buffer.from(claim.secretBlock, 'base64')) // decoded the way the client decodes it
      .update(Buffer.from(claim.timestamp, 'utf8'))
      .digest();
    return given.length === expected.length && timingSafeEqual(given, expected);
  } catch {
    return false; // a caller's string should never turn into a 500
  }
}

/** Converts a device verifier config as ConfirmDevice receives it (PasswordVerifier and Salt, both base64 of the big-endian bytes) into hex; returns undefined if malformed (not base64, empty, verifier 0 or ≥ N, over 1024 bytes). */
export function deviceVerifierFromConfig(passwordVerifierB64: string, saltB64: string): { saltHex: string; verifierHex: string } | undefined {
  const verifier = decodeBase64Strictly(passwordVerifierB64);
  const salt = decodeBase64Strictly(saltB64);
  if (!verifier?.length || !salt?.length || verifier.length > MAX_CONFIG_BYTES || salt.length > MAX_CONFIG_BYTES) return undefined;
  const v = bytesToInt(verifier);
  if (v === 0n || v >= N) return undefined;
  // Kept byte for byte: the client hashed these bytes, and every client library produces them in
  // PAD form (the form it re-derives from SALT), so they come back unchanged in the challenge.
  return { saltHex: salt.toString('hex'), verifierHex: v.toString(16) };
}

/** K = HKDF-SHA256(salt = PAD(u), ikm = PAD(S), info = "Caldera Derived Key"), first 16 bytes; undefined for unusable numbers. */
function sessionKey(claim: PasswordClaim): Buffer | undefined {
  const A = isAcceptableA(claim.srpA) ? parseHex(claim.srpA) : undefined;
  const [v, b, B] = [parseHex(claim.verifierHex), parseHex(claim.bHex), parseHex(claim.BHex)];
  if (A === undefined || v === undefined || b === undefined || B === undefined) return undefined;
  if (v % N === 0n) return undefined; // S would be 0 whatever the password: never let that sign anyone in
  const u = hashToInt(pad(A), pad(B));
  if (u === 0n) return undefined;
  const S = powMod(((A % N) * powMod(v, u)) % N, b);
  const prk = createHmac('sha256', pad(u)).update(pad(S)).digest();
  return createHmac('sha256', prk).update(HKDF_INFO).digest().subarray(0, 16);
}

/**
 * base^exponent mod N through OpenSSL (a DH shared-secret computation with the exponent as the
 * private key): about six times faster than a BigInt square-and-multiply loop.
 */
function powMod(base: bigint, exponent: bigint): bigint {
  const reduced = base % N;
  if (exponent === 0n) return 1n;
  // OpenSSL refuses 0, 1 and N−1 as peer keys; their powers need no work.
  if (reduced <= 1n) return reduced;
  if (reduced === N - 1n) return exponent % 2n === 0n ? 1n : N - 1n;
  const dh = createDiffieHellman(PRIME, Buffer.from([Number(G)]));
  dh.setPrivateKey(intToBytes(exponent));
  return bytesToInt(dh.computeSecret(intToBytes(reduced)));
}

/** Java's BigInteger.toByteArray() for n ≥ 0: minimal big-endian bytes, plus a 00 byte when the top bit is set. */
function pad(n: bigint): Buffer {
  const bytes = intToBytes(n);
  return bytes.length === 0 || bytes[0] >= 0x80 ? Buffer.concat([Buffer.alloc(1), bytes]) : bytes;
}

function intToBytes(n: bigint): Buffer {
  const hex = n.toString(16);
  return Buffer.from(n === 0n ? '' : hex.length % 2 === 0 ? hex : `0${hex}`, 'hex');
}

function bytesToInt(bytes: Buffer): bigint {
  return bytes.length === 0 ? 0n : BigInt(`0x${bytes.toString('hex')}`);
}

function sha256(...parts: Buffer[]): Buffer {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest();
}

function hashToInt(...parts: Buffer[]): bigint {
  return bytesToInt(sha256(...parts));
}

function parseHex(text: string): bigint | undefined {
  return text.length <= MAX_HEX_DIGITS && /^[0-9a-fA-F]+$/.test(text) ? BigInt(`0x${text}`) : undefined;
}

/** Standard base64, padding optional; undefined when Node's lenient decoder would have skipped anything. */
function decodeBase64Strictly(text: string): Buffer | undefined {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64');
  const canonical = bytes.toString('base64');
  return text === canonical || text === canonical.replace(/=+$/, '') ? bytes : undefined;
}
