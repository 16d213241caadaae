import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { CognitoError } from '../../src/domain/errors.js';
import generated from '../../src/http/model/cognito-constraints.json' with { type: 'json' };
import newer from '../../src/http/model/newer-operations.json' with { type: 'json' };
import {
  constraintPatterns,
  isKnownOperation,
  javaPatternToRegExp,
  operationAuth,
  operationNames,
  patternMatcher,
  validateInput,
} from '../../src/http/model/validate.js';

const POOL = 'us-east-1_AbC123';

function failure(operation: string, input: unknown): CognitoError {
  try {
    validateInput(operation, input);
  } catch (error) {
    assert.ok(error instanceof CognitoError, `expected a CognitoError, got ${String(error)}`);
    return error;
  }
  assert.fail(`${operation} accepted ${JSON.stringify(input)}`);
}

function invalid(operation: string, input: unknown, message: string): void {
  const error = failure(operation, input);
  assert.equal(error.type, 'InvalidParameterException');
  assert.equal(error.message, message);
}

function serialization(operation: string, input: unknown, message: string): void {
  const error = failure(operation, input);
  assert.equal(error.type, 'SerializationException');
  assert.equal(error.message, message);
}

const one = (violation: string) => `1 validation error detected: ${violation}`;

describe('validateInput', () => {
  it('accepts a valid request, ignores unknown members and treats null as absent', () => {
    validateInput('AdminGetUser', { UserPoolId: POOL, Username: 'alice', SomethingNew: { Deep: [1, 2] } });
    validateInput('ListUsers', { UserPoolId: POOL, Limit: null, Filter: null });
    validateInput('GetUserPoolSessionConfiguration', { UserPoolId: POOL });
  });

  it('reports missing required members', () => {
    invalid(
      'AdminGetUser',
      { UserPoolId: null },
      "2 validation errors detected: Value null at 'userPoolId' failed to satisfy constraint: Member must not be null; " +
        "Value null at 'username' failed to satisfy constraint: Member must not be null",
    );
  });

  it('matches patterns against the whole value', () => {
    invalid(
      'AdminGetUser',
      { UserPoolId: 'abc', Username: 'alice' },
      one("Value 'abc' at 'userPoolId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w-]+_[0-9a-zA-Z]+"),
    );
    // A space is outside the username class; a prefix match would have accepted it.
    invalid(
      'AdminGetUser',
      { UserPoolId: POOL, Username: 'alice smith' },
      one("Value at 'username' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+"),
    );
  });

  it('checks string lengths in code points', () => {
    const tooLong = 'g'.repeat(129);
    invalid(
      'CreateGroup',
      { UserPoolId: POOL, GroupName: tooLong },
      one(`Value '${tooLong}' at 'groupName' failed to satisfy constraint: Member must have length less than or equal to 128`),
    );
    validateInput('CreateGroup', { UserPoolId: POOL, GroupName: '😀'.repeat(128) });
    invalid(
      'AdminGetUser',
      { UserPoolId: '', Username: 'alice' },
      "2 validation errors detected: Value '' at 'userPoolId' failed to satisfy constraint: Member must have length greater than or equal to 1; " +
        "Value '' at 'userPoolId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w-]+_[0-9a-zA-Z]+",
    );
  });

  it('checks numeric ranges', () => {
    invalid(
      'ListUsers',
      { UserPoolId: POOL, Limit: 61 },
      one("Value '61' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 60"),
    );
    invalid(
      'ListUsers',
      { UserPoolId: POOL, Limit: -1 },
      one("Value '-1' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 0"),
    );
  });

  it('checks enums', () => {
    invalid(
      'CreateUserPool',
      { PoolName: 'pool', DeletionProtection: 'MAYBE' },
      one("Value 'MAYBE' at 'deletionProtection' failed to satisfy constraint: Member must satisfy enum value set: [ACTIVE, INACTIVE]"),
    );
  });

  it('never echoes sensitive values', () => {
    const secret = ' hunter2 ';
    const error = failure('SignUp', { ClientId: 'client', Username: 'alice', Password: secret });
    assert.equal(
      error.message,
      one("Value at 'password' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[\\S]+.*[\\S]+$"),
    );
    // So is a collection that is, or holds, something sensitive.
    invalid(
      'InitiateAuth',
      { ClientId: 'client', AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'alice', PASSWORD: 'p'.repeat(131_073) } },
      one(
        "Value at 'authParameters' failed to satisfy constraint: Map value must satisfy constraint: " +
          '[Member must have length less than or equal to 131072, Member must have length greater than or equal to 0]',
      ),
    );
  });

  it('lets passwords contain inner spaces but not leading or trailing ones', () => {
    validateInput('SignUp', { ClientId: 'client', Username: 'alice', Password: 'correct horse battery staple' });
    for (const password of [' leading', 'trailing ', 'x']) {
      assert.equal(failure('SignUp', { ClientId: 'client', Username: 'alice', Password: password }).type, 'InvalidParameterException');
    }
  });

  it('names nested members and list elements like AWS does', () => {
    invalid(
      'CreateUserPool',
      { PoolName: 'pool', Policies: { PasswordPolicy: { MinimumLength: 5 } } },
      one("Value '5' at 'policies.passwordPolicy.minimumLength' failed to satisfy constraint: Member must have value greater than or equal to 6"),
    );
    invalid(
      'AdminUpdateUserAttributes',
      { UserPoolId: POOL, Username: 'alice', UserAttributes: [{ Name: 'email', Value: 'a@example.com' }, { Value: 'x' }] },
      one("Value null at 'userAttributes.2.member.name' failed to satisfy constraint: Member must not be null"),
    );
  });

  it('reports element constraints of scalar lists and maps on the collection', () => {
    invalid(
      'CreateUserPoolClient',
      { UserPoolId: POOL, ClientName: 'web', ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ADMIN_USER_PASSWORD_AUTH'] },
      one(
        "Value '[ALLOW_USER_SRP_AUTH, ADMIN_USER_PASSWORD_AUTH]' at 'explicitAuthFlows' failed to satisfy constraint: " +
          'Member must satisfy constraint: [Member must satisfy enum value set: [ADMIN_NO_SRP_AUTH, CUSTOM_AUTH_FLOW_ONLY, ' +
          'USER_PASSWORD_AUTH, ALLOW_ADMIN_USER_PASSWORD_AUTH, ALLOW_CUSTOM_AUTH, ALLOW_USER_PASSWORD_AUTH, ALLOW_USER_SRP_AUTH, ' +
          'ALLOW_REFRESH_TOKEN_AUTH, ALLOW_USER_AUTH]]',
      ),
    );
    invalid(
      'TagResource',
      { ResourceArn: 'arn:aws:cognito-idp:us-east-1:123456789012:userpool/' + POOL, Tags: { '': 'v', team: 'x'.repeat(257) } },
      "2 validation errors detected: Value '{=v, team=" +
        'x'.repeat(257) +
        "}' at 'tags' failed to satisfy constraint: Map keys must satisfy constraint: [Member must have length less than or equal to 128, " +
        "Member must have length greater than or equal to 1]; Value '{=v, team=" +
        'x'.repeat(257) +
        "}' at 'tags' failed to satisfy constraint: Map value must satisfy constraint: [Member must have length less than or equal to 256, " +
        'Member must have length greater than or equal to 0]',
    );
  });

  it('validates the operations newer than the model the same way', () => {
    invalid(
      'SetUserPoolSessionConfiguration',
      { UserPoolId: POOL, UserSessionTracking: 'ON', TokenSession: { MaxPerUser: 101 } },
      "2 validation errors detected: Value '101' at 'tokenSession.maxPerUser' failed to satisfy constraint: Member must have value less than or equal to 100; " +
        "Value 'ON' at 'userSessionTracking' failed to satisfy constraint: Member must satisfy enum value set: [DISABLED, ENABLED]",
    );
  });

  it('lists several violations in member order', () => {
    invalid(
      'SignUp',
      { ClientId: 'client', Username: '', Password: '' },
      "3 validation errors detected: Value at 'password' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[\\S]+.*[\\S]+$; " +
        "Value at 'username' failed to satisfy constraint: Member must have length greater than or equal to 1; " +
        "Value at 'username' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+",
    );
  });

  it('answers wrong JSON types with SerializationException naming the member', () => {
    serialization('ListUsers', { UserPoolId: POOL, Limit: '10' }, "Expected a 32-bit integer at 'limit', found a string.");
    serialization('ListUsers', { UserPoolId: POOL, Limit: 1.5 }, "Expected a 32-bit integer at 'limit', found the number 1.5.");
    serialization('ListUsers', { UserPoolId: POOL, Limit: 2 ** 31 }, "Expected a 32-bit integer at 'limit', found the number 2147483648.");
    serialization('AdminGetUser', { UserPoolId: 42, Username: 'a' }, "Expected a string at 'userPoolId', found the number 42.");
    serialization('CreateUserPool', { PoolName: 'p', Policies: [] }, "Expected an object at 'policies', found an array.");
    serialization('ListUsers', { UserPoolId: POOL, AttributesToGet: 'email' }, "Expected an array at 'attributesToGet', found a string.");
    serialization('ListUsers', { UserPoolId: POOL, AttributesToGet: ['email', null] }, "Expected a string at 'attributesToGet.2.member', found null.");
    serialization(
      'AdminUpdateUserAttributes',
      { UserPoolId: POOL, Username: 'a', UserAttributes: [{ Name: 'email', Value: true }] },
      "Expected a string at 'userAttributes.1.member.value', found a boolean.",
    );
    serialization('InitiateAuth', { ClientId: 'c', AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 5 } }, "Expected a string at 'authParameters.USERNAME', found the number 5.");
    serialization('SetUICustomization', { UserPoolId: POOL, ImageFile: 'not base64!' }, "Expected a base64-encoded string at 'imageFile', found a string.");
    serialization('AdminGetUser', [], 'Expected a JSON object as the request body, found an array.');
  });

  it('accepts any JSON in document members and does not walk deep input', () => {
    let deep: unknown = {};
    for (let i = 0; i < 100_000; i++) deep = { nested: deep };
    validateInput('CompleteWebAuthnRegistration', { AccessToken: 'token', Credential: deep });
    validateInput('AdminGetUser', { UserPoolId: POOL, Username: 'alice', Unknown: deep });
  });

  it('stays fast on inputs that make naive patterns backtrack', () => {
    const cases: Array<[string, unknown]> = [
      ['CreateUserPool', { PoolName: 'p', EmailVerificationMessage: '{####}'.repeat(3333) + '\u0001' }],
      ['CreateUserPool', { PoolName: 'p', VerificationMessageTemplate: { EmailMessageByLink: '{##'.repeat(6666) + '\u0001' } }],
      ['CreateUserPool', { PoolName: 'p', EmailConfiguration: { ReplyToEmailAddress: '@a'.repeat(500_000) + '\u0001' } }],
      ['SignUp', { ClientId: 'client', Username: 'alice', Password: 'p'.repeat(100_000) + ' ' }],
    ];
    for (const [operation, input] of cases) {
      const started = performance.now();
      assert.equal(failure(operation, input).type, 'InvalidParameterException');
      const elapsed = performance.now() - started;
      assert.ok(elapsed < 250, `${operation} took ${elapsed.toFixed(0)} ms`);
    }
  });

  it('rejects unknown operations', () => {
    assert.equal(failure('NoSuchOperation', {}).type, 'UnknownOperationException');
    assert.equal(isKnownOperation('NoSuchOperation'), false);
    assert.equal(operationAuth('NoSuchOperation'), 'sigv4');
  });
});

describe('patterns', () => {
  it('every pattern compiles', () => {
    const patterns = constraintPatterns();
    assert.ok(patterns.length > 30);
    for (const pattern of patterns) assert.doesNotThrow(() => patternMatcher(pattern), pattern);
  });

  it('every pattern runs in linear time, also on values longer than their shape allows', () => {
    const units = ['a', '😀', ' ', '@a', 'a:', '_a', '{##', '{####}', '##}{##'];
    const tails = ['', ' ', '\n', '\u0001'];
    for (const pattern of constraintPatterns()) {
      const matches = patternMatcher(pattern);
      const started = performance.now();
      for (const unit of units) for (const tail of tails) matches(unit.repeat(100_000 / unit.length) + tail);
      const elapsed = performance.now() - started;
      assert.ok(elapsed < 1000, `${pattern} took ${elapsed.toFixed(0)} ms`);
    }
  });

  it('follows Java: ASCII-only \\s, (?s), whole-value match', () => {
    assert.equal(javaPatternToRegExp('[\\S]+').test('a\u00a0b'), true);
    assert.equal(javaPatternToRegExp('[\\w\\s]+').test('a\u00a0b'), false);
    assert.equal(javaPatternToRegExp('(?s).*').test('two\nlines'), true);
    assert.equal(javaPatternToRegExp('[0-9]+').test('12a'), false);
  });

  it('linear-time matchers agree with the regular expressions they replace', () => {
    const pieces = ['{', '}', '#', '@', 'a', ' ', '\t', '\n', '\u2028', '\u0001', '\u00a0', '😀', '{##', '##}'];
    const text = fc.array(fc.constantFrom(...pieces), { maxLength: 10 }).map((parts) => parts.join(''));
    for (const pattern of constraintPatterns()) {
      const matches = patternMatcher(pattern);
      const regExp = javaPatternToRegExp(pattern);
      fc.assert(fc.property(text, (value) => matches(value) === regExp.test(value)), { numRuns: 2000 });
    }
  });
});

// --- the declarations against the installed SDK ----------------------------------------------------

const require = createRequire(import.meta.url);
const sdkEntry = require.resolve('@aws-sdk/client-cognito-identity-provider');
const sdkRoot = dirname(dirname(sdkEntry));
const sdk = require('@aws-sdk/client-cognito-identity-provider') as Record<string, unknown>;

const sdkOperations = readdirSync(join(sdkRoot, 'dist-types', 'commands'))
  .filter((file) => file.endsWith('Command.d.ts'))
  .map((file) => file.slice(0, -'Command.d.ts'.length))
  .sort();

/** The SDK's generated auth-scheme switch: the operations it sends unsigned. */
function sdkUnsignedOperations(): Set<string> {
  const source = readFileSync(sdkEntry, 'utf8');
  const start = source.indexOf('const defaultCognitoIdentityProviderHttpAuthSchemeProvider');
  const cases = source.slice(start, source.indexOf('default:', start)).matchAll(/case "(\w+)":\s*\{\s*options\.push\(createSmithyApiNoAuthHttpAuthOption\(\)\)/g);
  return new Set(Array.from(cases, (match) => match[1]!));
}

interface ShapeRecord {
  type: string;
  members?: Record<string, string>;
  required?: string[];
  member?: string;
  value?: string;
}
const shapes: Record<string, ShapeRecord> = { ...generated.shapes, ...newer.shapes };
const operationInputs: Record<string, { input: string }> = { ...generated.operations, ...newer.operations };

/**
 * The SDK's compact schemas: a number for simple types (0 string, 1 number, 2 boolean, 4-7 timestamp,
 * 15 document, 21 blob, 64|n list of n, 128|n map to n), or [kind, namespace, name, traits, ...]
 * with kind 0 simple, 1 list, 2 map, 3 structure [..., memberNames, memberSchemas, requiredCount].
 * Member schemas may be wrapped as [schema, memberTraits]; named schemas may be thunks.
 */
type SdkShape = { kind: string; members?: Map<string, unknown>; required?: string[]; element?: unknown };
function sdkShape(ref: unknown): SdkShape {
  if (Array.isArray(ref) && ref.length === 2) ref = ref[0];
  if (typeof ref === 'function') ref = ref();
  if (typeof ref === 'number') {
    if (ref & 128) return { kind: 'map', element: ref & 63 };
    if (ref & 64) return { kind: 'list', element: ref & 63 };
    const kinds: Record<number, string> = { 0: 'string', 1: 'number', 2: 'boolean', 4: 'timestamp', 5: 'timestamp', 6: 'timestamp', 7: 'timestamp', 15: 'document', 21: 'blob' };
    return { kind: kinds[ref] ?? `unknown ${ref}` };
  }
  const schema = ref as unknown[];
  if (schema[0] === 0) return sdkShape(schema[4]);
  if (schema[0] === 1) return { kind: 'list', element: schema[4] };
  if (schema[0] === 2) return { kind: 'map', element: schema[5] };
  const names = schema[4] as string[];
  const members = new Map(names.map((name, i) => [name, (schema[5] as unknown[])[i]]));
  return { kind: 'structure', members, required: names.slice(0, (schema[6] as number | undefined) ?? 0) };
}

const KIND_OF_TYPE: Record<string, string> = { integer: 'number', long: 'number', double: 'number', float: 'number' };

function compareWithSdk(path: string, shapeName: string, sdkRef: unknown, mismatches: string[], seen: Set<string>): void {
  const shape = shapes[shapeName]!;
  const theirs = sdkShape(sdkRef);
  const ours = KIND_OF_TYPE[shape.type] ?? shape.type;
  if (ours !== theirs.kind) {
    mismatches.push(`${path}: ${ours} here, ${theirs.kind} in the SDK`);
    return;
  }
  if (seen.has(shapeName)) return;
  seen.add(shapeName);
  if (shape.type === 'structure') {
    const required = [...(shape.required ?? [])].sort().join(', ');
    const sdkRequired = [...theirs.required!].sort().join(', ');
    if (required !== sdkRequired) mismatches.push(`${path}: required [${required}] here, [${sdkRequired}] in the SDK`);
    for (const [member, memberShape] of Object.entries(shape.members ?? {})) {
      if (!theirs.members!.has(member)) mismatches.push(`${path}.${member}: not in the SDK`);
      else compareWithSdk(`${path}.${member}`, memberShape, theirs.members!.get(member), mismatches, seen);
    }
  }
  if (shape.type === 'list') compareWithSdk(`${path}[]`, shape.member!, theirs.element, mismatches, seen);
  if (shape.type === 'map') compareWithSdk(`${path}{}`, shape.value!, theirs.element, mismatches, seen);
}

describe('declarations', () => {
  it('cover every operation of the installed SDK, and nothing else', () => {
    assert.equal(sdkOperations.length, 140);
    assert.deepEqual([...operationNames()], sdkOperations);
  });

  it('mark exactly the operations the SDK sends unsigned as auth none', () => {
    const unsigned = sdkUnsignedOperations();
    assert.equal(unsigned.size, 34);
    for (const name of sdkOperations) assert.equal(operationAuth(name), unsigned.has(name) ? 'none' : 'sigv4', name);
  });

  it('agree with the SDK schemas on types, members and required members', () => {
    const mismatches: string[] = [];
    for (const name of sdkOperations) {
      const operation = sdk[`${name}$`] as unknown[];
      compareWithSdk(name, operationInputs[name]!.input, operation[4], mismatches, new Set());
    }
    assert.deepEqual(mismatches, []);
  });
});
