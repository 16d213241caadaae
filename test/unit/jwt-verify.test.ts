// The access-token check that every token-carrying call goes through: it must accept what jose signs
// and refuse what jose's jwtVerify refuses for the same options.
import assert from 'node:assert/strict';
import { generateKeyPairSync, createSecretKey, type KeyObject } from 'node:crypto';
import { describe, it } from 'node:test';
import { SignJWT, jwtVerify, type JWTPayload } from 'jose';
import { JwtExpired, JwtInvalid, verifyRs256 } from '../../src/domain/tokens/jwt-verify.js';

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ISSUER = 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Test1';
const NOW = 1_800_000_000;
const keys = new Map<string, KeyObject>([['k1', publicKey]]);
const check = (token: string, now = NOW) => verifyRs256(token, (kid) => keys.get(kid), { issuer: ISSUER, now });

const signed = (claims: JWTPayload = {}, header: Record<string, unknown> = {}, key: KeyObject = privateKey, alg = 'RS256') =>
  new SignJWT({ token_use: 'access', sub: 'abc', ...claims })
    .setProtectedHeader({ alg, kid: 'k1', ...header })
    .setIssuer(ISSUER)
    .setIssuedAt(NOW - 10)
    .setExpirationTime(NOW + 3600)
    .sign(key);

/** What jose's jwtVerify says of the same token, for the differential checks. */
const joseAccepts = (token: string, now = NOW) =>
  jwtVerify(token, publicKey, { algorithms: ['RS256'], issuer: ISSUER, currentDate: new Date(now * 1000) }).then(
    () => true,
    () => false,
  );

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('RS256 verification', () => {
  it('returns the claims of a token jose signed', async () => {
    const claims = check(await signed({ origin_jti: 'o1' }));
    assert.equal(claims.sub, 'abc');
    assert.equal(claims.origin_jti, 'o1');
    assert.equal(claims.iss, ISSUER);
  });

  it('tells an expired token apart, at the second of exp as jose does', async () => {
    const token = await signed();
    assert.doesNotThrow(() => check(token, NOW + 3599));
    assert.throws(() => check(token, NOW + 3600), JwtExpired);
    assert.equal(await joseAccepts(token, NOW + 3600), false);
  });

  it('refuses what jose refuses: altered claims, another key, another issuer, unknown kid, not yet valid', async () => {
    const good = await signed();
    const [header, , signature] = good.split('.');
    const cases: [string, string][] = [
      ['altered payload', `${header}.${b64({ token_use: 'access', sub: 'admin', iss: ISSUER, exp: NOW + 3600 })}.${signature}`],
      ['signed by another key', await signed({}, {}, other.privateKey)],
      ['another issuer', await new SignJWT({}).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).setIssuer('https://evil').setExpirationTime(NOW + 60).sign(privateKey)],
      ['not before the future', await signed({ nbf: NOW + 60 })],
      ['no exp', await new SignJWT({}).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).setIssuer(ISSUER).sign(privateKey)],
      ['a critical extension', await signed({}, { crit: ['b64'], b64: true })],
      ['truncated', good.split('.').slice(0, 2).join('.')],
      ['empty signature', `${header}.${good.split('.')[1]}.`],
      ['padding in a part', `${good}=`],
    ];
    for (const [name, token] of cases) {
      assert.throws(() => check(token), JwtInvalid, name);
      // jose itself accepts the b64 extension when it is true; Cognito's tokens never carry crit.
      if (!['no exp', 'another issuer', 'a critical extension'].includes(name)) assert.equal(await joseAccepts(token), false, `jose agrees: ${name}`);
    }
    const unknownKid = await signed({}, { kid: 'k2' });
    assert.throws(() => check(unknownKid), JwtInvalid, 'unknown kid');
  });

  it('refuses other algorithms, including none and HMAC keyed with the public key', async () => {
    const payload = b64({ iss: ISSUER, exp: NOW + 60 });
    assert.throws(() => check(`${b64({ alg: 'none', kid: 'k1' })}.${payload}.`), JwtInvalid);
    const publicPem = publicKey.export({ type: 'spki', format: 'pem' });
    const hmac = await new SignJWT({}).setProtectedHeader({ alg: 'HS256', kid: 'k1' }).setIssuer(ISSUER).setExpirationTime(NOW + 60).sign(createSecretKey(Buffer.from(publicPem)));
    assert.throws(() => check(hmac), JwtInvalid);
    const ps256 = await signed({}, {}, privateKey, 'PS256');
    assert.throws(() => check(ps256), JwtInvalid);
  });

  it('refuses payloads that are not JSON objects and non-numeric times', () => {
    const header = b64({ alg: 'RS256', kid: 'k1' });
    for (const payload of [Buffer.from('not json').toString('base64url'), b64([1, 2]), b64('text')]) {
      assert.throws(() => check(`${header}.${payload}.AAAA`), JwtInvalid);
    }
  });

  it('refuses a numeric claim given as a string even when correctly signed', async () => {
    const token = await new SignJWT({ iat: 'yesterday' as unknown as number }).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).setIssuer(ISSUER).setExpirationTime(NOW + 60).sign(privateKey);
    assert.throws(() => check(token), JwtInvalid);
  });
});
