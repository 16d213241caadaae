import { verify, type KeyObject } from 'node:crypto';

/** The token is not one of ours, or was altered, or is not valid yet. */
export class JwtInvalid extends Error {}
/** The token was ours and is intact, but its `exp` has passed. */
export class JwtExpired extends Error {}

export interface JwtExpectations {
  issuer: string;
  /** Now, in seconds since the epoch. */
  now: number;
}

const BASE64URL = /^[A-Za-z0-9_-]+$/;

/** A compact JWS taken apart, not yet verified: nothing in it may be trusted but for choosing the key. */
export interface DecodedJws {
  header: Record<string, unknown>;
  claims: Record<string, unknown>;
  signed: string;
  signature: string;
}

export function decodeJws(token: string): DecodedJws {
  const parts = token.split('.');
  if (parts.length !== 3 || !parts.every((part) => BASE64URL.test(part))) throw new JwtInvalid('not a compact JWS');
  const [header, claims, signature] = parts as [string, string, string];
  return { header: jsonObject(header), claims: jsonObject(claims), signed: `${header}.${claims}`, signature };
}

/**
 * Verifies an RS256 JWS and returns its claims. Every API call that carries an access token comes
 * through here, so it verifies with node:crypto synchronously: jose 6 verifies through WebCrypto
 * only, which hands each verification to the thread pool and costs more than the RSA check itself.
 * The checks are jose's for these options: RS256 and nothing else (no `none`, no HMAC with the
 * public key), a known `kid`, no `crit` extensions, a JSON object as payload, the issuer, `exp`
 * required and passed at or after it, `nbf` and `iat` numeric.
 */
export function verifyRs256(token: string | DecodedJws, keyFor: (kid: string) => KeyObject | undefined, expected: JwtExpectations): Record<string, unknown> {
  const { header, claims, signed, signature } = typeof token === 'string' ? decodeJws(token) : token;
  if (header.alg !== 'RS256') throw new JwtInvalid('not RS256');
  if ('crit' in header) throw new JwtInvalid('unsupported critical header parameters');
  const key = typeof header.kid === 'string' ? keyFor(header.kid) : undefined;
  if (!key) throw new JwtInvalid('unknown kid');
  if (!verify('sha256', Buffer.from(signed), key, Buffer.from(signature, 'base64url'))) throw new JwtInvalid('signature verification failed');
  checkClaims(claims, expected);
  return claims;
}

function checkClaims(claims: Record<string, unknown>, { issuer, now }: JwtExpectations): void {
  if (claims.iss !== issuer) throw new JwtInvalid('unexpected issuer');
  for (const name of ['iat', 'nbf'] as const) {
    if (name in claims && typeof claims[name] !== 'number') throw new JwtInvalid(`${name} is not a number`);
  }
  if (typeof claims.nbf === 'number' && claims.nbf > now) throw new JwtInvalid('not active yet');
  if (typeof claims.exp !== 'number') throw new JwtInvalid('exp missing or not a number');
  if (claims.exp <= now) throw new JwtExpired('expired');
}

function jsonObject(encoded: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8'));
  } catch {
    throw new JwtInvalid('not JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new JwtInvalid('not a JSON object');
  return value as Record<string, unknown>;
}
