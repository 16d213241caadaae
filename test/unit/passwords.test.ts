import type { PasswordPolicyType } from '@aws-sdk/client-cognito-identity-provider';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { CognitoError } from '../../src/domain/errors.js';
import { DEFAULT_ARGON2 } from '../../src/config.js';
import { PasswordHasher } from '../../src/domain/passwords/password-hasher.js';
import { checkPassword, POLICY_PREAMBLE } from '../../src/domain/passwords/password-policy.js';
import { generateTemporaryPassword } from '../../src/domain/passwords/temporary-password.js';

const STRICT: PasswordPolicyType = {
  MinimumLength: 8,
  RequireUppercase: true,
  RequireLowercase: true,
  RequireNumbers: true,
  RequireSymbols: true,
};
const LAX: PasswordPolicyType = { MinimumLength: 6, RequireUppercase: false, RequireLowercase: false, RequireNumbers: false, RequireSymbols: false };

function rejection(policy: PasswordPolicyType, password: string, preamble?: (typeof POLICY_PREAMBLE)[keyof typeof POLICY_PREAMBLE]): string {
  try {
    checkPassword(policy, password, preamble);
  } catch (error) {
    assert.ok(error instanceof CognitoError, `expected a CognitoError, got ${String(error)}`);
    assert.equal(error.type, 'InvalidPasswordException');
    return error.message;
  }
  assert.fail(`${JSON.stringify(password)} was accepted`);
}

const broke = (rule: string) => `Password did not conform with policy: ${rule}`;

describe('checkPassword', () => {
  it('accepts a password that meets every rule', () => {
    checkPassword(STRICT, 'Abcdef1!');
    checkPassword(LAX, 'aaaaaa');
  });

  it('names each broken rule in Cognito words', () => {
    assert.equal(rejection(STRICT, 'Abcd1!'), broke('Password not long enough'));
    assert.equal(rejection(STRICT, 'abcdef1!'), broke('Password must have uppercase characters'));
    assert.equal(rejection(STRICT, 'ABCDEF1!'), broke('Password must have lowercase characters'));
    assert.equal(rejection(STRICT, 'Abcdefg!'), broke('Password must have numeric characters'));
    assert.equal(rejection(STRICT, 'Abcdefg1'), broke('Password must have symbol characters'));
  });

  it('reports only the first broken rule: length, uppercase, lowercase, numeric, symbol', () => {
    assert.equal(rejection(STRICT, 'abc'), broke('Password not long enough'));
    assert.equal(rejection(STRICT, 'password'), broke('Password must have uppercase characters'));
    assert.equal(rejection(STRICT, '12345678'), broke('Password must have uppercase characters'));
    assert.equal(rejection(STRICT, 'PASSWORD'), broke('Password must have lowercase characters'));
    assert.equal(rejection(STRICT, 'Password'), broke('Password must have numeric characters'));
  });

  it('uses the preamble of the calling operation', () => {
    assert.equal(rejection(STRICT, 'Abcdefg1', POLICY_PREAMBLE.temporaryPassword), 'Password did not conform with password policy: Password must have symbol characters');
    assert.equal(rejection(STRICT, 'Abc', POLICY_PREAMBLE.newPassword), 'Password does not conform to policy: Password not long enough');
  });

  it('applies the minimum length exactly and defaults it to 8', () => {
    const twelve = { ...LAX, MinimumLength: 12 };
    checkPassword(twelve, 'a'.repeat(12));
    assert.equal(rejection(twelve, 'a'.repeat(11)), broke('Password not long enough'));
    checkPassword({}, 'a'.repeat(8));
    assert.equal(rejection({}, 'a'.repeat(7)), broke('Password not long enough'));
  });

  it('ignores requirements the policy leaves off', () => {
    checkPassword({ MinimumLength: 6 }, 'aaaaaa');
    checkPassword({ ...LAX, RequireNumbers: true }, 'abcde1');
  });

  it('counts exactly the documented special characters and the space as symbols', () => {
    const symbols = '^$*.[]{}()?"!@#%&/\\,><\':;|_~`=+- ';
    assert.equal(symbols.length, 33);
    const symbolsOnly = { ...LAX, RequireSymbols: true };
    for (const symbol of symbols) checkPassword(symbolsOnly, `abcdef${symbol}g`);
    for (const other of ['€', '£', '§', '¿', 'é', '\u00a0', '\t']) {
      assert.equal(rejection(symbolsOnly, `abcdef${other}g`), broke('Password must have symbol characters'), `${JSON.stringify(other)} counted as a symbol`);
    }
  });

  it('counts only Basic Latin letters and ASCII digits', () => {
    assert.equal(rejection({ ...LAX, RequireUppercase: true }, 'abcdÉf'), broke('Password must have uppercase characters'));
    assert.equal(rejection({ ...LAX, RequireLowercase: true }, 'ABCDéF'), broke('Password must have lowercase characters'));
    assert.equal(rejection({ ...LAX, RequireNumbers: true }, 'abc٣def'), broke('Password must have numeric characters'));
  });

  it('accepts inner spaces (the model refuses leading and trailing ones before this runs)', () => {
    checkPassword(STRICT, 'Correct horse 1');
    checkPassword({ ...LAX, RequireSymbols: true }, 'two words');
  });
});

const policies = fc.record({
  MinimumLength: fc.integer({ min: 6, max: 99 }),
  RequireUppercase: fc.boolean(),
  RequireLowercase: fc.boolean(),
  RequireNumbers: fc.boolean(),
  RequireSymbols: fc.boolean(),
});

describe('generateTemporaryPassword', () => {
  it('always satisfies the policy it was made for', () => {
    fc.assert(
      fc.property(policies, (policy) => {
        const password = generateTemporaryPassword(policy);
        checkPassword(policy, password);
        assert.equal(password.length, Math.max(policy.MinimumLength, 12));
      }),
      { numRuns: 200 },
    );
  });

  it('is at least 12 characters even when the policy allows fewer, and defaults sensibly', () => {
    assert.equal(generateTemporaryPassword(LAX).length, 12);
    assert.equal(generateTemporaryPassword({}).length, 12);
    checkPassword(STRICT, generateTemporaryPassword(STRICT));
  });

  it('uses no look-alike characters and nothing that breaks when copied from a message', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) for (const c of generateTemporaryPassword(STRICT)) seen.add(c);
    for (const ambiguous of '0Oo1lI5S2Z8B |"\'`\\.,') assert.ok(!seen.has(ambiguous), `${JSON.stringify(ambiguous)} was used`);
  });

  it('differs every time', () => {
    const made = new Set(Array.from({ length: 200 }, () => generateTemporaryPassword(STRICT)));
    assert.equal(made.size, 200);
  });
});

describe('PasswordHasher', () => {
  // The cheapest legal settings keep the suite fast; the defaults are checked separately.
  const cheap = { memoryKiB: 1024, iterations: 1, parallelism: 1 };
  const hasher = new PasswordHasher(cheap);

  it('verifies the password it hashed and refuses any other', async () => {
    const hashed = await hasher.hash('Correct horse 1!');
    assert.equal(await hasher.verify(hashed, 'Correct horse 1!'), true);
    assert.equal(await hasher.verify(hashed, 'Correct horse 1?'), false);
    assert.equal(await hasher.verify(hashed, ''), false);
  });

  it('salts every hash', async () => {
    assert.notEqual(await hasher.hash('same password'), await hasher.hash('same password'));
  });

  it('writes an argon2id PHC string with its settings and without the password', async () => {
    const password = 'VisiblePassword123!';
    const hashed = await hasher.hash(password);
    assert.match(hashed, /^\$argon2id\$v=19\$m=1024,t=1,p=1\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/);
    assert.ok(!hashed.includes(password));
    assert.ok(!hashed.includes(Buffer.from(password).toString('base64').replace(/=+$/, '')));
  });

  it('answers false, never throws, for hashes it cannot read', async () => {
    for (const malformed of ['', 'plain text', '$argon2id$v=19$m=1024,t=1,p=1$bad', '$2b$10$abcdefghijklmnopqrstuuJ8cJ1S3LvDq7.0hY1xW6Rk9e1g6b6', '$argon2id$v=19$m=1024,t=1,p=1$$']) {
      assert.equal(await hasher.verify(malformed, 'anything'), false, malformed);
    }
  });

  it('asks for a rehash when the settings changed or the hash is not ours', async () => {
    const hashed = await hasher.hash('pw');
    assert.equal(hasher.needsRehash(hashed), false);
    assert.equal(new PasswordHasher({ ...cheap, memoryKiB: 2048 }).needsRehash(hashed), true);
    assert.equal(new PasswordHasher({ ...cheap, iterations: 2 }).needsRehash(hashed), true);
    assert.equal(new PasswordHasher({ ...cheap, parallelism: 2 }).needsRehash(hashed), true);
    assert.equal(hasher.needsRehash('not a hash'), true);
    assert.equal(hasher.needsRehash(hashed.replace('$argon2id$', '$argon2i$')), true);
  });

  it('uses OWASP-recommended defaults', async () => {
    assert.deepEqual({ ...DEFAULT_ARGON2 }, { memoryKiB: 19456, iterations: 2, parallelism: 1 });
    const hashed = await new PasswordHasher().hash('pw');
    assert.match(hashed, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  });

  it('dummyVerify does the work of a verify and resolves', async () => {
    await hasher.dummyVerify('anything');
    await Promise.all([hasher.dummyVerify('a'), hasher.dummyVerify('b')]);
  });
});
