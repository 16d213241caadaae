import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { authenticator } from 'otplib';
import { base32Decode, base32Encode, hotp, newTotpSecret, totpStep, verifyTotp } from '../../src/domain/mfa/totp.js';

/** RFC 4226 and RFC 6238 share this ASCII secret for their SHA-1 vectors. */
const RFC_SECRET = Buffer.from('12345678901234567890', 'ascii');

/** otplib, an independent implementation, generating at a given moment (it reads an epoch of 0 as "now"). */
const otplibAt = (nowMs: number) => authenticator.clone({ epoch: nowMs });

describe('base32 (RFC 4648)', () => {
  it('encodes the RFC 4648 test vectors, without padding', () => {
    const vectors: [string, string][] = [
      ['', ''],
      ['f', 'MY'],
      ['fo', 'MZXQ'],
      ['foo', 'MZXW6'],
      ['foob', 'MZXW6YQ'],
      ['fooba', 'MZXW6YTB'],
      ['foobar', 'MZXW6YTBOI'],
    ];
    for (const [plain, encoded] of vectors) {
      assert.equal(base32Encode(Buffer.from(plain)), encoded, plain);
      assert.equal(base32Decode(encoded).toString(), plain, encoded);
    }
  });

  it('decodes padded and lower-case input, and refuses other characters', () => {
    assert.equal(base32Decode('MZXW6YTBOI======').toString(), 'foobar');
    assert.equal(base32Decode('mzxw6ytboi').toString(), 'foobar');
    assert.throws(() => base32Decode('MZXW1'), /not base32/);
  });

  it('round-trips any bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => base32Decode(base32Encode(bytes)).equals(Buffer.from(bytes))));
  });

  it('makes 32-character secrets of 20 random bytes', () => {
    const secret = newTotpSecret();
    assert.match(secret, /^[A-Z2-7]{32}$/);
    assert.equal(base32Decode(secret).length, 20);
    assert.notEqual(newTotpSecret(), secret);
  });
});

describe('HOTP and TOTP truncation (RFC 4226, RFC 6238)', () => {
  it('gives the RFC 4226 HOTP values for counters 0 to 9', () => {
    const expected = ['755224', '287082', '359152', '969429', '338314', '254676', '287922', '162583', '399871', '520489'];
    expected.forEach((code, counter) => assert.equal(hotp(RFC_SECRET, counter), code, `counter ${counter}`));
  });

  it('gives the RFC 6238 SHA-1 values with 8 digits', () => {
    const vectors: [number, string][] = [
      [59, '94287082'],
      [1111111109, '07081804'],
      [1111111111, '14050471'],
      [1234567890, '89005924'],
      [2000000000, '69279037'],
      [20000000000, '65353130'],
    ];
    for (const [seconds, code] of vectors) assert.equal(hotp(RFC_SECRET, totpStep(seconds * 1000), 8), code, `T = ${seconds}`);
  });

  it('accepts the RFC 6238 moments in 6 digits, as the last six of the 8-digit values', () => {
    const secret = base32Encode(RFC_SECRET);
    assert.equal(verifyTotp(secret, '287082', 59_000), 1);
    assert.equal(verifyTotp(secret, '005924', 1234567890_000), totpStep(1234567890_000));
  });
});

describe('verifyTotp against otplib', () => {
  it('accepts what otplib generates, at any moment, for secrets of either side', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4_000_000_000_000 }), fc.boolean(), (nowMs, ours) => {
        const secret = ours ? newTotpSecret() : authenticator.generateSecret(20);
        return verifyTotp(secret, otplibAt(nowMs).generate(secret), nowMs) === totpStep(nowMs);
      }),
      { numRuns: 200 },
    );
  });

  it('generates what otplib accepts', () => {
    const secret = newTotpSecret();
    const nowMs = Date.now();
    const code = hotp(base32Decode(secret), totpStep(nowMs));
    assert.equal(otplibAt(nowMs).check(code, secret), true);
  });

  it('forgives one step of drift either way, and no more', () => {
    const secret = base32Encode(randomBytes(20));
    const nowMs = 1_700_000_015_000;
    const step = totpStep(nowMs);
    const at = (offset: number) => otplibAt(nowMs + offset * 30_000).generate(secret);
    assert.equal(verifyTotp(secret, at(-1), nowMs), step - 1);
    assert.equal(verifyTotp(secret, at(1), nowMs), step + 1);
    assert.equal(verifyTotp(secret, at(-2), nowMs), undefined);
    assert.equal(verifyTotp(secret, at(2), nowMs), undefined);
  });

  it('never accepts a step at or before the last one used', () => {
    const secret = newTotpSecret();
    const nowMs = 1_700_000_015_000;
    const step = totpStep(nowMs);
    const code = otplibAt(nowMs).generate(secret);
    assert.equal(verifyTotp(secret, code, nowMs, step - 1), step);
    assert.equal(verifyTotp(secret, code, nowMs, step), undefined, 'the same code again');
    assert.equal(verifyTotp(secret, otplibAt(nowMs - 30_000).generate(secret), nowMs, step), undefined, 'an older code after a newer one');
    assert.equal(verifyTotp(secret, otplibAt(nowMs + 30_000).generate(secret), nowMs, step), step + 1, 'the next code still works');
  });

  it('refuses wrong and malformed codes', () => {
    const secret = newTotpSecret();
    const nowMs = Date.now();
    const right = otplibAt(nowMs).generate(secret);
    const window = [-30_000, 0, 30_000].map((offset) => otplibAt(nowMs + offset).generate(secret));
    let wrong = Number(right);
    while (window.includes(String(wrong).padStart(6, '0'))) wrong = (wrong + 1) % 1_000_000;
    assert.equal(verifyTotp(secret, String(wrong).padStart(6, '0'), nowMs), undefined);
    for (const malformed of ['', '12345', '1234567', '12345a', ` ${right.slice(1)}`]) assert.equal(verifyTotp(secret, malformed, nowMs), undefined, malformed);
  });
});
