import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CognitoError } from '../../src/domain/errors.js';
import { schemaAtCreation } from '../../src/domain/pools/schema.js';
import {
  checkRequiredPresent,
  missingRequiredAttributes,
  normalizeAttributes,
  readableAttributes,
  type AttributeCheckContext,
} from '../../src/domain/users/user-attributes.js';

const schema = schemaAtCreation([
  { Name: 'email', Required: true },
  { Name: 'name', Required: true },
  { Name: 'nickname', Mutable: false },
  { Name: 'tier', AttributeDataType: 'String', StringAttributeConstraints: { MinLength: '2', MaxLength: '5' } },
  { Name: 'level', AttributeDataType: 'Number', NumberAttributeConstraints: { MinValue: '1', MaxValue: '10' } },
  { Name: 'vip', AttributeDataType: 'Boolean' },
  { Name: 'joined', AttributeDataType: 'DateTime' },
  { Name: 'tenant', AttributeDataType: 'String', Mutable: false },
  { Name: 'secret', AttributeDataType: 'String', DeveloperOnlyAttribute: true },
]);

const signUp: AttributeCheckContext = { schema, writer: 'user', creating: true };
const adminCreate: AttributeCheckContext = { schema, writer: 'admin', creating: true };
const userUpdate: AttributeCheckContext = { schema, writer: 'user', creating: false };
const adminUpdate: AttributeCheckContext = { schema, writer: 'admin', creating: false };

const attrs = (pairs: Record<string, string | undefined>) => Object.entries(pairs).map(([Name, Value]) => ({ Name, Value }));

function refusal(run: () => unknown): CognitoError {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof CognitoError, `expected a CognitoError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected a refusal');
}

function refused(run: () => unknown, message: string, type = 'InvalidParameterException'): void {
  const error = refusal(run);
  assert.equal(error.type, type);
  assert.equal(error.message, message);
}

describe('normalizeAttributes: names', () => {
  it('accepts standard and custom attributes, keyed by name', () => {
    const result = normalizeAttributes(attrs({ email: 'a@example.com', 'custom:tier': 'gold', 'custom:level': '3' }), signUp);
    assert.deepEqual([...result], [
      ['email', 'a@example.com'],
      ['custom:tier', 'gold'],
      ['custom:level', '3'],
    ]);
  });

  it('lets a later duplicate replace an earlier one', () => {
    const result = normalizeAttributes(attrs({}).concat([
      { Name: 'given_name', Value: 'A' },
      { Name: 'given_name', Value: 'B' },
    ]), signUp);
    assert.equal(result.get('given_name'), 'B');
  });

  it('reports an unknown attribute at creation as a type that could not be determined', () => {
    refused(
      () => normalizeAttributes(attrs({ 'custom:nope': 'x' }), signUp),
      'Attributes did not conform to the schema: Type for attribute {custom:nope} could not be determined',
    );
    refused(
      () => normalizeAttributes(attrs({ favorite_flavor: 'x', 'custom:nope': 'y' }), adminCreate),
      'Attributes did not conform to the schema: Type for attribute {favorite_flavor} could not be determined, Type for attribute {custom:nope} could not be determined',
    );
  });

  it('reports unknown attributes of a user update one line each', () => {
    refused(
      () => normalizeAttributes(attrs({ 'custom:address': 'x', 'custom:latitude': '1' }), userUpdate),
      'user.custom:address: Attribute does not exist in the schema.\nuser.custom:latitude: Attribute does not exist in the schema.\n',
    );
  });

  it('reports unknown attributes of an administrator update under "Invalid user attributes"', () => {
    refused(
      () => normalizeAttributes(attrs({ 'custom:nope': 'x' }), adminUpdate),
      'Invalid user attributes: user.custom:nope: Attribute does not exist in the schema.\n',
    );
  });

  it('does not take a custom name without its prefix', () => {
    refused(
      () => normalizeAttributes(attrs({ tier: 'gold' }), userUpdate),
      'user.tier: Attribute does not exist in the schema.\n',
    );
  });

  it('never lets anyone write sub', () => {
    for (const context of [signUp, adminCreate, userUpdate, adminUpdate]) {
      refused(() => normalizeAttributes(attrs({ sub: 'x' }), context), 'Cannot modify the non-mutable attribute sub');
    }
  });

  it('refuses a missing value, naming the attribute', () => {
    refused(
      () => normalizeAttributes([{ Name: 'picture' }], userUpdate),
      'Attribute value for picture must not be null',
    );
  });
});

describe('normalizeAttributes: who may write', () => {
  it('lets administrators set the verified flags', () => {
    const result = normalizeAttributes(attrs({ email: 'a@example.com', email_verified: 'True', phone_number_verified: 'false' }), adminCreate);
    assert.equal(result.get('email_verified'), 'true');
    assert.equal(result.get('phone_number_verified'), 'false');
    assert.equal(normalizeAttributes(attrs({ email_verified: 'false' }), adminUpdate).get('email_verified'), 'false');
  });

  it('refuses a verified flag that is not a boolean', () => {
    refused(
      () => normalizeAttributes(attrs({ email_verified: 'yes' }), adminUpdate),
      'Invalid user attributes: user.email_verified: The attribute is not a valid boolean\n',
    );
  });

  it('refuses the verified flags from users signing up as unauthorized', () => {
    refused(
      () => normalizeAttributes(attrs({ email: 'a@example.com', email_verified: 'true' }), signUp),
      'A client attempted to write unauthorized attribute',
      'NotAuthorizedException',
    );
  });

  it('refuses the verified flags in a user update as non-mutable', () => {
    refused(
      () => normalizeAttributes(attrs({ phone_number_verified: 'true' }), userUpdate),
      'Cannot modify the non-mutable attribute phone_number_verified',
    );
  });

  it('keeps developer-only attributes for administrators', () => {
    assert.equal(normalizeAttributes(attrs({ 'dev:custom:secret': 's' }), adminUpdate).get('dev:custom:secret'), 's');
    refused(
      () => normalizeAttributes(attrs({ 'dev:custom:secret': 's' }), userUpdate),
      'A client attempted to write unauthorized attribute',
      'NotAuthorizedException',
    );
  });

  it("holds users to the client's WriteAttributes, before the schema", () => {
    const client = { ...userUpdate, writableByClient: ['email', 'name'] };
    assert.equal(normalizeAttributes(attrs({ name: 'Ann' }), client).get('name'), 'Ann');
    refused(() => normalizeAttributes(attrs({ given_name: 'Ann' }), client), 'A client attempted to write unauthorized attribute', 'NotAuthorizedException');
    refused(() => normalizeAttributes(attrs({ phonenumber: '+15555555555' }), { ...signUp, writableByClient: ['email'] }), 'A client attempted to write unauthorized attribute', 'NotAuthorizedException');
  });

  it("does not apply the client's WriteAttributes to administrators", () => {
    assert.equal(normalizeAttributes(attrs({ given_name: 'Ann' }), { ...adminUpdate, writableByClient: ['email'] }).get('given_name'), 'Ann');
  });
});

describe('normalizeAttributes: mutability and deletion', () => {
  it('lets immutable attributes be set at creation only', () => {
    assert.equal(normalizeAttributes(attrs({ 'custom:tenant': 't1', nickname: 'n' }), adminCreate).get('custom:tenant'), 't1');
    refused(() => normalizeAttributes(attrs({ nickname: 'n' }), userUpdate), 'user.nickname: Attribute cannot be updated.\n');
    refused(() => normalizeAttributes(attrs({ 'custom:tenant': 't2' }), adminUpdate), 'Invalid user attributes: user.custom:tenant: Attribute cannot be updated.\n');
  });

  it('treats an empty value in an update as a deletion', () => {
    const result = normalizeAttributes(attrs({ given_name: '' }), userUpdate);
    assert.deepEqual([...result], [['given_name', '']]);
  });

  it('refuses to delete a required attribute', () => {
    refused(() => normalizeAttributes(attrs({ email: '' }), userUpdate), 'user.email: Required attribute cannot be deleted.\n');
    refused(() => normalizeAttributes(attrs({ email: '' }), adminUpdate), 'Invalid user attributes: user.email: Required attribute cannot be deleted.\n');
  });

  it('leaves empty values out at creation', () => {
    assert.deepEqual([...normalizeAttributes(attrs({ given_name: '', name: 'Ann' }), signUp)], [['name', 'Ann']]);
  });
});

describe('normalizeAttributes: values', () => {
  it('holds strings to their length constraints', () => {
    refused(
      () => normalizeAttributes(attrs({ birthdate: '1990-1-1' }), signUp),
      'Attributes did not conform to the schema: birthdate: String must be no shorter than 10 characters',
    );
    refused(
      () => normalizeAttributes(attrs({ birthdate: '1990-01-01T00:00:00Z' }), userUpdate),
      'user.birthdate: String must be no longer than 10 characters\n',
    );
    refused(
      () => normalizeAttributes(attrs({ 'custom:tier': 'platinum', 'custom:level': '0' }), adminUpdate),
      'Invalid user attributes: user.custom:tier: String must be no longer than 5 characters\nuser.custom:level: Number must be no less than 1\n',
    );
    assert.equal(normalizeAttributes(attrs({ birthdate: '1990-01-31' }), signUp).get('birthdate'), '1990-01-31');
  });

  it('caps every value at 2048 characters', () => {
    refused(
      () => normalizeAttributes(attrs({ address: 'x'.repeat(2049) }), userUpdate),
      'user.address: String must be no longer than 2048 characters\n',
    );
    assert.equal(normalizeAttributes(attrs({ address: 'x'.repeat(2048) }), userUpdate).get('address')?.length, 2048);
  });

  it('holds numbers to their type and bounds', () => {
    assert.equal(normalizeAttributes(attrs({ 'custom:level': '10', updated_at: '1700000000' }), signUp).get('custom:level'), '10');
    refused(() => normalizeAttributes(attrs({ 'custom:level': 'ten' }), userUpdate), 'user.custom:level: The attribute is not a valid number\n');
    refused(() => normalizeAttributes(attrs({ 'custom:level': '11' }), userUpdate), 'user.custom:level: Number must be no greater than 10\n');
    refused(() => normalizeAttributes(attrs({ updated_at: '-1' }), userUpdate), 'user.updated_at: Number must be no less than 0\n');
    refused(() => normalizeAttributes(attrs({ updated_at: 'yesterday' }), signUp), 'Attributes did not conform to the schema: updated_at: The attribute is not a valid number');
  });

  it('holds booleans and dates to their type', () => {
    assert.equal(normalizeAttributes(attrs({ 'custom:vip': 'TRUE' }), signUp).get('custom:vip'), 'true');
    refused(() => normalizeAttributes(attrs({ 'custom:vip': '1' }), signUp), 'Attributes did not conform to the schema: custom:vip: The attribute is not a valid boolean');
    assert.equal(normalizeAttributes(attrs({ 'custom:joined': '2024-05-01T10:00:00Z' }), signUp).get('custom:joined'), '2024-05-01T10:00:00Z');
    refused(() => normalizeAttributes(attrs({ 'custom:joined': 'soon' }), userUpdate), 'user.custom:joined: The attribute is not a valid datetime\n');
  });

  it('takes phone numbers in E.164 only', () => {
    // A Japanese number 090-1234-5678 is written +81 followed by the number without its leading 0.
    assert.equal(normalizeAttributes(attrs({ phone_number: '+819012345678' }), signUp).get('phone_number'), '+819012345678');
    for (const phone of ['09012345678', '+81 90 1234 5678', '+81-90-1234-5678', '+1 (555) 555-5555', '+', '+1234567890123456']) {
      refused(() => normalizeAttributes(attrs({ phone_number: phone }), signUp), 'Invalid phone number format.');
    }
    refused(() => normalizeAttributes(attrs({ phone_number: '555-555-5555' }), adminUpdate), 'Invalid phone number format.');
  });

  it('takes email addresses only', () => {
    assert.equal(normalizeAttributes(attrs({ email: 'ann@example.co.jp' }), signUp).get('email'), 'ann@example.co.jp');
    for (const email of ['asdfasdf', 'ann@', '@example.com', 'ann @example.com', 'ann@@example.com']) {
      refused(() => normalizeAttributes(attrs({ email }), signUp), 'Invalid email address format.');
    }
  });

  it('reports schema problems before formats', () => {
    refused(
      () => normalizeAttributes(attrs({ email: 'nope', 'custom:tier': 'x' }), signUp),
      'Attributes did not conform to the schema: custom:tier: String must be no shorter than 2 characters',
    );
  });
});

describe('required attributes', () => {
  it('lists required attributes without a value, in schema order, never sub', () => {
    assert.deepEqual(missingRequiredAttributes(new Map(), schema), ['name', 'email']);
    assert.deepEqual(missingRequiredAttributes(new Map([['email', 'a@example.com'], ['name', '']]), schema), ['name']);
    assert.deepEqual(missingRequiredAttributes(new Map([['email', 'a@example.com'], ['name', 'Ann']]), schema), []);
  });

  it('refuses a sign-up without them, in the names Cognito reports', () => {
    refused(
      () => checkRequiredPresent(new Map([['name', 'Ann']]), schema),
      'Attributes did not conform to the schema: emails: The attribute emails is required',
    );
    const contactPool = schemaAtCreation([
      { Name: 'phone_number', Required: true },
      { Name: 'given_name', Required: true },
      { Name: 'family_name', Required: true },
      { Name: 'birthdate', Required: true },
    ]);
    refused(
      () => checkRequiredPresent(new Map(), contactPool),
      'Attributes did not conform to the schema: name.givenName: The attribute name.givenName is required, name.familyName: The attribute name.familyName is required, birthdate: The attribute birthdate is required, phoneNumbers: The attribute phoneNumbers is required',
    );
    assert.doesNotThrow(() => checkRequiredPresent(new Map([['email', 'a@example.com'], ['name', 'Ann']]), schema));
  });

  it('passes a pool with no required attributes', () => {
    assert.doesNotThrow(() => checkRequiredPresent(new Map(), schemaAtCreation()));
  });
});

describe('readableAttributes', () => {
  const all = new Map([
    ['sub', 'u-1'],
    ['email', 'a@example.com'],
    ['email_verified', 'true'],
    ['custom:tier', 'gold'],
    ['dev:custom:secret', 's'],
  ]);

  it('shows everything but developer-only attributes by default', () => {
    assert.deepEqual(readableAttributes(all), [
      { Name: 'sub', Value: 'u-1' },
      { Name: 'email', Value: 'a@example.com' },
      { Name: 'email_verified', Value: 'true' },
      { Name: 'custom:tier', Value: 'gold' },
    ]);
  });

  it("shows only the client's ReadAttributes, and always sub", () => {
    assert.deepEqual(readableAttributes(all, ['email', 'dev:custom:secret']), [
      { Name: 'sub', Value: 'u-1' },
      { Name: 'email', Value: 'a@example.com' },
    ]);
  });
});
