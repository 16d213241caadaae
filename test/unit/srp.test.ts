import assert from 'node:assert/strict';
import { createHash, createHmac, getDiffieHellman, randomBytes, randomUUID, webcrypto } from 'node:crypto';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  checkPasswordClaim,
  createPasswordVerifier,
  deviceVerifierFromConfig,
  isAcceptableA,
  isAcceptableTimestamp,
  startServerExchange,
  type PasswordClaim,
} from '../../src/domain/srp/srp.js';

// --- the real client: amazon-cognito-identity-js (CommonJS, untyped; its callbacks run synchronously) ---

interface ClientBigInteger {
  toString(radix: number): string;
}
interface ClientHelper {
  getLargeAValue(callback: (error: unknown, A: ClientBigInteger) => void): void;
  getPasswordAuthenticationKey(
    username: string,
    password: string,
    serverB: ClientBigInteger,
    salt: ClientBigInteger,
    callback: (error: unknown, hkdf: Uint8Array) => void,
  ): void;
  generateHashDevice(deviceGroupKey: string, deviceKey: string, callback: (error: unknown) => void): void;
  getSaltDevices(): string;
  getVerifierDevices(): string;
  getRandomPassword(): string;
  padHex(n: ClientBigInteger): string;
}
interface HmacSha256 {
  update(data: Uint8Array): void;
  digestSync(): Uint8Array;
}

const requireHere = createRequire(import.meta.url);
const requireClient = createRequire(requireHere.resolve('amazon-cognito-identity-js'));
const AuthenticationHelper: new (poolName: string) => ClientHelper = requireClient('./AuthenticationHelper.js').default;
const ClientBigInteger: new (hex: string, radix: number) => ClientBigInteger = requireClient('./BigInteger.js').default;
const DateHelper: new () => { getNowString(): string } = requireClient('./DateHelper.js').default;
const Sha256: new (hmacKey?: Uint8Array) => HmacSha256 = requireClient('@aws-crypto/sha256-js').Sha256;

function syncResult<T>(run: (callback: (error: unknown, value: T) => void) => void): T {
  let result: { value: T } | undefined;
  run((error, value) => {
    if (error) throw error;
    result = { value };
  });
  assert.ok(result, 'the client library answered asynchronously');
  return result.value;
}

/** The signature exactly as CognitoUser.authenticateUserDefaultAuth / getDeviceResponse build it. */
function clientSignature(hkdf: Uint8Array, poolName: string, userId: string, secretBlock: string, timestamp: string): string {
  const hmac = new Sha256(hkdf);
  hmac.update(
    Buffer.concat([Buffer.from(poolName, 'utf8'), Buffer.from(userId, 'utf8'), Buffer.from(secretBlock, 'base64'), Buffer.from(timestamp, 'utf8')]),
  );
  return Buffer.from(hmac.digestSync()).toString('base64');
}

/**
 * One whole exchange: the client's SRP_A, the server's challenge (SALT, SRP_B, SECRET_BLOCK), and the
 * client's answer, built by the real client. Returns what the server would check.
 */
function clientExchange(poolName: string, userId: string, password: string, stored: { saltHex: string; verifierHex: string }): PasswordClaim {
  const client = new AuthenticationHelper(poolName);
  const srpA = syncResult<ClientBigInteger>((cb) => client.getLargeAValue(cb)).toString(16);
  assert.ok(isAcceptableA(srpA));
  const { bHex, BHex } = startServerExchange(stored.verifierHex);
  const secretBlock = randomBytes(48).toString('base64');
  const hkdf = syncResult<Uint8Array>((cb) =>
    client.getPasswordAuthenticationKey(userId, password, new ClientBigInteger(BHex, 16), new ClientBigInteger(stored.saltHex, 16), cb),
  );
  const timestamp = new DateHelper().getNowString();
  const signature = clientSignature(hkdf, poolName, userId, secretBlock, timestamp);
  return { poolName, userId, verifierHex: stored.verifierHex, bHex, BHex, srpA, secretBlock, timestamp, signature };
}

/** Makes every random 32-bit word the client library draws start with `topBits`, to force salt shapes. */
function withRandomWordsStartingWith<T>(topBits: number, shift: number, run: () => T): T {
  const original = webcrypto.getRandomValues;
  Object.defineProperty(webcrypto, 'getRandomValues', {
    configurable: true,
    value: <A extends ArrayBufferView | null>(array: A): A => {
      original.call(webcrypto, array as Uint32Array);
      const words = array as unknown as Uint32Array;
      const keep = 2 ** shift - 1;
      for (let i = 0; i < words.length; i++) words[i] = ((topBits * 2 ** shift) | (words[i] & keep)) >>> 0;
      return array;
    },
  });
  try {
    return run();
  } finally {
    delete (webcrypto as { getRandomValues?: unknown }).getRandomValues;
  }
}

function clientDevice(deviceGroupKey: string, deviceKey: string, forceTopBits?: { bits: number; shift: number }) {
  const client = new AuthenticationHelper('ignored');
  const hash = () => syncResult<null>((cb) => client.generateHashDevice(deviceGroupKey, deviceKey, (error) => cb(error, null)));
  if (forceTopBits) withRandomWordsStartingWith(forceTopBits.bits, forceTopBits.shift, hash);
  else hash();
  // What CognitoUser sends as ConfirmDevice's DeviceSecretVerifierConfig.
  const config = {
    Salt: Buffer.from(client.getSaltDevices(), 'hex').toString('base64'),
    PasswordVerifier: Buffer.from(client.getVerifierDevices(), 'hex').toString('base64'),
  };
  return { client, config, saltHex: client.getSaltDevices(), devicePassword: client.getRandomPassword() };
}

// --- an independent model in plain BigInt ------------------------------------------------------

const N = BigInt(`0x${getDiffieHellman('modp15').getPrime('hex')}`);
const N_HEX = N.toString(16);
const K_HEX = '538282c4354742d7cbbde2359fcf67f9f5b3a6b08791e5011b43b8a5b66d9ee6';
const k = BigInt(`0x${K_HEX}`);

function modPow(base: bigint, exponent: bigint): bigint {
  let result = 1n;
  let square = ((base % N) + N) % N;
  for (let e = exponent; e > 0n; e >>= 1n) {
    if (e & 1n) result = (result * square) % N;
    square = (square * square) % N;
  }
  return result;
}

/** Java BigInteger.toByteArray() as hex, for n ≥ 0. */
function padHex(n: bigint): string {
  const digits = n.toString(16);
  const even = digits.length % 2 === 0 ? digits : `0${digits}`;
  return /^[89a-f]/.test(even) ? `00${even}` : even;
}
const bytes = (hex: string) => Buffer.from(hex, 'hex');
const toInt = (buffer: Buffer) => BigInt(`0x${buffer.toString('hex') || '0'}`);
const sha = (...parts: Buffer[]) => createHash('sha256').update(Buffer.concat(parts)).digest();

function modelX(saltHex: string, poolName: string, userId: string, password: string): bigint {
  const inner = sha(Buffer.from(`${poolName}${userId}:${password}`, 'utf8'));
  return toInt(sha(bytes(padHex(BigInt(`0x${saltHex}`))), inner));
}

function modelSignature(S: bigint, u: bigint, claim: Omit<PasswordClaim, 'signature'>): string {
  const prk = createHmac('sha256', bytes(padHex(u))).update(bytes(padHex(S))).digest();
  const key = createHmac('sha256', prk).update('Caldera Derived Key\u0001').digest().subarray(0, 16);
  const message = [Buffer.from(claim.poolName), Buffer.from(claim.userId), Buffer.from(claim.secretBlock, 'base64'), Buffer.from(claim.timestamp)];
  return createHmac('sha256', key).update(Buffer.concat(message)).digest('base64');
}

const modelU = (A: bigint, B: bigint) => toInt(sha(bytes(padHex(A)), bytes(padHex(B))));
const modelServerS = (A: bigint, claim: { verifierHex: string; bHex: string }, u: bigint) =>
  modPow((A % N) * modPow(BigInt(`0x${claim.verifierHex}`), u), BigInt(`0x${claim.bHex}`));

const poolNames = fc.stringMatching(/^[A-Za-z0-9]{9}$/);
const userIds = fc.oneof(fc.uuid(), fc.emailAddress(), fc.string({ minLength: 1, maxLength: 40, unit: 'grapheme' }));
const passwords = fc.string({ minLength: 1, maxLength: 60, unit: 'binary' });
const SLOW = { numRuns: 6 }; // the client library's pure-JS big numbers take ~0.25 s an exchange

function withSignatureByteFlipped(signature: string): string {
  const raw = Buffer.from(signature, 'base64');
  raw[5] ^= 0x01;
  return raw.toString('base64');
}

// --- tests -------------------------------------------------------------------------------------

describe('SRP group constants', () => {
  it('k = H(PAD(N) ‖ PAD(g)) is the value Cognito clients use', () => {
    assert.equal(padHex(N).slice(0, 6), '00ffff');
    assert.equal(sha(bytes(padHex(N)), bytes(padHex(2n))).toString('hex'), K_HEX);
  });

  it('the server builds B = k·v + g^b with that k', () => {
    const { verifierHex } = createPasswordVerifier('AbC123xyZ', 'alice', 'Passw0rd!');
    const { bHex, BHex } = startServerExchange(verifierHex);
    const B = BigInt(`0x${BHex}`);
    assert.equal((((B - modPow(2n, BigInt(`0x${bHex}`))) % N) + N) % N, (k * BigInt(`0x${verifierHex}`)) % N);
  });
});

describe('user sign-in against amazon-cognito-identity-js', () => {
  it('accepts the real client’s claim and refuses any altered part', () => {
    fc.assert(
      fc.property(poolNames, userIds, passwords, (poolName, userId, password) => {
        const stored = createPasswordVerifier(poolName, userId, password);
        const claim = clientExchange(poolName, userId, password, stored);
        assert.ok(checkPasswordClaim(claim), 'genuine claim refused');
        assert.ok(isAcceptableTimestamp(claim.timestamp, Date.now(), 60_000));
        assert.equal(checkPasswordClaim({ ...claim, secretBlock: randomBytes(48).toString('base64') }), false);
        assert.equal(checkPasswordClaim({ ...claim, timestamp: `${claim.timestamp} ` }), false);
        assert.equal(checkPasswordClaim({ ...claim, signature: withSignatureByteFlipped(claim.signature) }), false);
        assert.equal(checkPasswordClaim({ ...claim, userId: `${userId}x` }), false);
        assert.equal(checkPasswordClaim({ ...claim, poolName: `${poolName}x` }), false);
      }),
      SLOW,
    );
  });

  it('refuses a claim made with a wrong password', () => {
    const stored = createPasswordVerifier('AbC123xyZ', 'bob', 'Correct-horse-1');
    assert.equal(checkPasswordClaim(clientExchange('AbC123xyZ', 'bob', 'Correct-horse-2', stored)), false);
    assert.equal(checkPasswordClaim(clientExchange('AbC123xyZ', 'bob', 'correct-horse-1', stored)), false);
  });

  it('issues salts in PAD form, which the client reads back unchanged', () => {
    const client = new AuthenticationHelper('p');
    for (let i = 0; i < 1000; i++) {
      const { saltHex } = createPasswordVerifier('p', 'u', 'w');
      assert.equal(saltHex, padHex(BigInt(`0x${saltHex}`)));
      assert.equal(client.padHex(new ClientBigInteger(saltHex, 16)), saltHex);
    }
  });
});

describe('device sign-in against amazon-cognito-identity-js', () => {
  const deviceGroupKey = '-dtFbRzjW';
  const signInWith = (device: ReturnType<typeof clientDevice>, deviceKey: string) => {
    const stored = deviceVerifierFromConfig(device.config.PasswordVerifier, device.config.Salt);
    assert.ok(stored, 'ConfirmDevice config refused');
    assert.equal(stored.saltHex, device.saltHex);
    return clientExchange(deviceGroupKey, deviceKey, device.devicePassword, stored);
  };

  it('accepts a remembered device’s claim and refuses it for another device or password', () => {
    for (let i = 0; i < 3; i++) {
      const deviceKey = `us-east-1_${randomUUID()}`;
      const device = clientDevice(deviceGroupKey, deviceKey);
      const claim = signInWith(device, deviceKey);
      assert.ok(checkPasswordClaim(claim));
      assert.equal(checkPasswordClaim({ ...claim, userId: `us-east-1_${randomUUID()}` }), false);
      const stored = deviceVerifierFromConfig(device.config.PasswordVerifier, device.config.Salt)!;
      assert.equal(checkPasswordClaim(clientExchange(deviceGroupKey, deviceKey, `${device.devicePassword}x`, stored)), false);
    }
  });

  // The salt's first random byte decides its encoding: 00 is dropped, ≥ 80 gains a 00 byte.
  for (const [name, bits, shift, shape] of [
    ['a zero first byte (15-byte salt)', 0x0005, 16, /^05[0-9a-f]{28}$/],
    ['a zero first byte then a high byte (00-prefixed 15-byte salt)', 0x0095, 16, /^0095[0-9a-f]{28}$/],
    ['two zero bytes (14-byte salt)', 0x000012, 8, /^12[0-9a-f]{26}$/],
    ['a high first byte (00-prefixed 16-byte salt)', 0xc3, 24, /^00c3[0-9a-f]{30}$/],
    ['a low first byte (plain 16-byte salt)', 0x12, 24, /^12[0-9a-f]{30}$/],
  ] as const) {
    it(`round-trips a salt with ${name}`, () => {
      const deviceKey = `us-east-1_${randomUUID()}`;
      const device = clientDevice(deviceGroupKey, deviceKey, { bits, shift });
      assert.match(device.saltHex, shape);
      assert.ok(checkPasswordClaim(signInWith(device, deviceKey)));
    });
  }

  it('refuses malformed verifier configs', () => {
    const good = clientDevice(deviceGroupKey, 'us-east-1_x').config;
    const b64 = (hex: string) => bytes(hex).toString('base64');
    assert.ok(deviceVerifierFromConfig(good.PasswordVerifier, good.Salt));
    assert.ok(deviceVerifierFromConfig(good.PasswordVerifier.replace(/=+$/, ''), good.Salt), 'unpadded base64 is fine');
    for (const [verifier, salt] of [
      ['', good.Salt],
      [good.PasswordVerifier, ''],
      ['not base64!', good.Salt],
      [good.PasswordVerifier, 'c2Fs dA=='],
      [`${good.PasswordVerifier}=`, good.Salt],
      [`A${good.PasswordVerifier}`, good.Salt],
      [b64('00'), good.Salt],
      [b64('0000'), good.Salt],
      [b64(N_HEX), good.Salt],
      [b64(`00${(N + 1n).toString(16)}`), good.Salt],
      [b64('01'.repeat(1025)), good.Salt],
      [good.PasswordVerifier, b64('01'.repeat(1025))],
    ]) {
      assert.equal(deviceVerifierFromConfig(verifier, salt), undefined, `${verifier.slice(0, 20)} / ${salt.slice(0, 20)}`);
    }
  });
});

describe('against an independent BigInt model', () => {
  it('derives the verifier from the formulas', () => {
    fc.assert(
      fc.property(poolNames, userIds, passwords, (poolName, userId, password) => {
        const { saltHex, verifierHex } = createPasswordVerifier(poolName, userId, password);
        assert.equal(BigInt(`0x${verifierHex}`), modPow(2n, modelX(saltHex, poolName, userId, password)));
      }),
      { numRuns: 20 },
    );
  });

  it('accepts a claim computed from the client formulas, and agrees on S', () => {
    for (let i = 0; i < 5; i++) {
      const [poolName, userId, password] = ['Xy9AbC123', `user-${i}@example.com`, `pässwörd ${i} 🔑`];
      const stored = createPasswordVerifier(poolName, userId, password);
      const a = toInt(randomBytes(128));
      const A = modPow(2n, a);
      const { bHex, BHex } = startServerExchange(stored.verifierHex);
      const B = BigInt(`0x${BHex}`);
      const u = modelU(A, B);
      const x = modelX(stored.saltHex, poolName, userId, password);
      const clientS = modPow(B - k * modPow(2n, x), a + u * x);
      const claimBase = { poolName, userId, ...stored, bHex, BHex, srpA: A.toString(16), secretBlock: 'c2VjcmV0', timestamp: 'Tue Mar 5 09:07:02 UTC 2024' };
      assert.equal(modelServerS(A, claimBase, u), clientS);
      assert.ok(checkPasswordClaim({ ...claimBase, signature: modelSignature(clientS, u, claimBase) }));
      assert.equal(checkPasswordClaim({ ...claimBase, signature: modelSignature(clientS + 1n, u, claimBase) }), false);
    }
  });

  it('computes S correctly for the edge values of A that OpenSSL will not take (1, N−1, N+1, 2N−1)', () => {
    const stored = createPasswordVerifier('AbC123xyZ', 'eve', 'whatever');
    const { bHex, BHex } = startServerExchange(stored.verifierHex);
    for (const A of [1n, N - 1n, N + 1n, 2n * N - 1n, 2n]) {
      const claimBase = { poolName: 'AbC123xyZ', userId: 'eve', ...stored, bHex, BHex, srpA: A.toString(16), secretBlock: '', timestamp: 't' };
      const u = modelU(A, BigInt(`0x${BHex}`));
      assert.ok(checkPasswordClaim({ ...claimBase, signature: modelSignature(modelServerS(A, claimBase, u), u, claimBase) }), `A = ${A}`);
    }
  });

  it('computes S correctly where the base of the last power is 1 or N−1 (a contrived verifier of 1)', () => {
    for (const [A, bHex] of [[1n, '3'], [N - 1n, '2'], [N - 1n, '3'], [2n * N - 1n, '3']] as const) {
      const claimBase = { poolName: 'p', userId: 'u', saltHex: '01', verifierHex: '1', bHex, BHex: '5', srpA: A.toString(16), secretBlock: '', timestamp: 't' };
      const u = modelU(A, 5n);
      assert.ok(checkPasswordClaim({ ...claimBase, signature: modelSignature(modelServerS(A, claimBase, u), u, claimBase) }), `A = ${A}, b = ${bHex}`);
    }
  });

  it('reads an unreduced verifier as its value mod N, and never accepts a verifier ≡ 0', () => {
    const stored = createPasswordVerifier('AbC123xyZ', 'eve', 'whatever');
    const { bHex, BHex } = startServerExchange(stored.verifierHex);
    const A = modPow(2n, 777n);
    const u = modelU(A, BigInt(`0x${BHex}`));
    const claimBase = { poolName: 'AbC123xyZ', userId: 'eve', ...stored, bHex, BHex, srpA: A.toString(16), secretBlock: '', timestamp: 't' };
    const signature = modelSignature(modelServerS(A, claimBase, u), u, claimBase);
    assert.ok(checkPasswordClaim({ ...claimBase, verifierHex: (BigInt(`0x${stored.verifierHex}`) + N).toString(16), signature }));
    for (const verifierHex of ['0', N_HEX]) {
      assert.equal(checkPasswordClaim({ ...claimBase, verifierHex, signature: modelSignature(0n, u, claimBase) }), false, verifierHex);
    }
  });

  it('builds salts and verifiers for forced device salts the way the client reads them', () => {
    for (const saltHex of ['0080' + 'ab'.repeat(14), '7f' + '00'.repeat(15), '01', '00ff', '3c'.repeat(15)]) {
      const [group, key, password] = ['-grp', 'us-east-1_dev', randomBytes(40).toString('base64')];
      const v = modPow(2n, modelX(saltHex, group, key, password));
      const stored = deviceVerifierFromConfig(bytes(padHex(v)).toString('base64'), bytes(saltHex).toString('base64'));
      assert.deepEqual(stored, { saltHex, verifierHex: v.toString(16) });
      assert.ok(checkPasswordClaim(clientExchange(group, key, password, stored)), saltHex);
    }
  });
});

describe('isAcceptableTimestamp', () => {
  const at = Date.UTC(2024, 2, 5, 9, 7, 2);
  const MINUTE = 60_000;

  it('accepts the client format near the given time', () => {
    assert.ok(isAcceptableTimestamp('Tue Mar 5 09:07:02 UTC 2024', at, 5 * MINUTE));
    assert.ok(isAcceptableTimestamp('Tue Mar 5 09:07:02 UTC 2024', at + 5 * MINUTE, 5 * MINUTE));
    assert.ok(isAcceptableTimestamp('Tue Mar 5 09:12:02 UTC 2024', at, 5 * MINUTE));
    assert.ok(isAcceptableTimestamp('Thu Feb 29 23:59:59 UTC 2024', Date.UTC(2024, 1, 29, 23, 59, 59), 0));
    assert.ok(isAcceptableTimestamp('Sun Dec 31 00:00:00 UTC 2023', Date.UTC(2023, 11, 31), 0));
  });

  it('refuses a padded day, a wrong weekday, another case or format, an impossible date', () => {
    for (const text of [
      'Tue Mar 05 09:07:02 UTC 2024',
      'Wed Mar 5 09:07:02 UTC 2024',
      'tue Mar 5 09:07:02 UTC 2024',
      'Tue MAR 5 09:07:02 UTC 2024',
      'Tue Mar 5 09:07:02 utc 2024',
      'Tue Mar 5 9:07:02 UTC 2024',
      'Tue Mar 5 09:07:02 GMT 2024',
      'Tue Mar 5 09:07:02 UTC 24',
      'Tue Mar  5 09:07:02 UTC 2024',
      ' Tue Mar 5 09:07:02 UTC 2024',
      'Tue Mar 5 09:07:02 UTC 2024\n',
      'Tuesday Mar 5 09:07:02 UTC 2024',
      'Tue, 05 Mar 2024 09:07:02 GMT',
      '2024-03-05T09:07:02Z',
      'Tue Mar 5 09:07:60 UTC 2024',
      'Tue Mar 5 24:07:02 UTC 2024',
      'Fri Feb 30 09:07:02 UTC 2024',
      'Mon Mar 32 09:07:02 UTC 2024',
      '',
    ]) {
      assert.equal(isAcceptableTimestamp(text, at, 365 * 24 * 60 * MINUTE), false, text);
    }
  });

  it('refuses a time too far from now, either way', () => {
    assert.equal(isAcceptableTimestamp('Tue Mar 5 09:07:02 UTC 2024', at + 5 * MINUTE + 1, 5 * MINUTE), false);
    assert.equal(isAcceptableTimestamp('Tue Mar 5 09:07:02 UTC 2024', at - 5 * MINUTE - 1000, 5 * MINUTE), false);
    assert.equal(isAcceptableTimestamp('Tue Mar 5 09:07:02 UTC 2025', at, 5 * MINUTE), false);
  });

  it('accepts every second the client can write, formatted as DateHelper does', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1970, 0, 1), max: Date.UTC(9999, 11, 31) }), (ms) => {
        const second = ms - (ms % 1000);
        // toUTCString: 'Tue, 05 Mar 2024 09:07:02 GMT'
        const [weekday, day, month, year, time] = new Date(second).toUTCString().replace(',', '').split(' ');
        const text = `${weekday} ${month} ${Number(day)} ${time} UTC ${year}`;
        assert.ok(isAcceptableTimestamp(text, second, 0), text);
      }),
    );
  });
});

describe('malformed input', () => {
  const stored = createPasswordVerifier('AbC123xyZ', 'mallory', 'pw');
  const exchange = startServerExchange(stored.verifierHex);
  const base: PasswordClaim = {
    poolName: 'AbC123xyZ',
    userId: 'mallory',
    ...stored,
    ...exchange,
    srpA: modPow(2n, 12345n).toString(16),
    secretBlock: 'c2VjcmV0',
    timestamp: 'Tue Mar 5 09:07:02 UTC 2024',
    signature: Buffer.alloc(32).toString('base64'),
  };

  it('isAcceptableA refuses non-hex, empty, huge, zero and multiples of N', () => {
    assert.ok(isAcceptableA('2'));
    assert.ok(isAcceptableA('ABCDEF0123'));
    assert.ok(isAcceptableA(`1${'0'.repeat(1023)}`));
    for (const A of ['', 'xyz', '0x12', '-1', ' 12', '12 ', '1.5', 'é', '0', '00', N_HEX, (2n * N).toString(16), `0${N_HEX}`, '1'.repeat(1025), `0${'0'.repeat(1024)}`]) {
      assert.equal(isAcceptableA(A), false, A.slice(0, 20));
    }
  });

  it('checkPasswordClaim says false, and never throws, for bad numbers and signatures', () => {
    const bad: Partial<PasswordClaim>[] = [
      { srpA: '' },
      { srpA: 'zz' },
      { srpA: '0' },
      { srpA: N_HEX },
      { srpA: 'f'.repeat(100_000) },
      { verifierHex: '' },
      { bHex: 'not hex' },
      { BHex: '' },
      { signature: '' },
      { signature: '!!!!' },
      { signature: 'not base64 at all' },
      { signature: Buffer.alloc(31).toString('base64') },
      { signature: Buffer.alloc(33).toString('base64') },
      { signature: `${Buffer.alloc(32).toString('base64')}=` },
      { secretBlock: '%%%' },
      { poolName: undefined as unknown as string },
      { timestamp: null as unknown as string },
      { signature: 42 as unknown as string },
    ];
    for (const change of bad) assert.equal(checkPasswordClaim({ ...base, ...change }), false, JSON.stringify(change).slice(0, 60));
  });

  it('checkPasswordClaim never throws on arbitrary strings', () => {
    const field = fc.oneof(fc.string(), fc.stringMatching(/^[0-9a-f]{0,800}$/), fc.base64String());
    fc.assert(
      fc.property(fc.record({ srpA: field, verifierHex: field, bHex: field, BHex: field, signature: field, secretBlock: field }), (change) => {
        assert.equal(checkPasswordClaim({ ...base, ...change }), false);
      }),
      { numRuns: 200 },
    );
  });

  it('a genuine signature with junk characters added no longer matches', () => {
    const claim = clientExchange('AbC123xyZ', 'mallory', 'pw', stored);
    assert.ok(checkPasswordClaim(claim));
    assert.equal(checkPasswordClaim({ ...claim, signature: `${claim.signature.slice(0, 10)}!${claim.signature.slice(10)}` }), false);
    assert.equal(checkPasswordClaim({ ...claim, signature: ` ${claim.signature}` }), false);
    assert.ok(checkPasswordClaim({ ...claim, signature: claim.signature.replace(/=+$/, '') }), 'unpadded base64 is the same bytes');
  });
});
