// The fuzzing model for test/fuzz.test.ts: request bodies built from the service model's constraint
// tables (member names, types, enums, patterns, lengths), with real values (fixtures) for the members
// that name things, then broken on purpose in every way a client or an attacker might.
import { createHmac, randomUUID } from 'node:crypto';
import fc from 'fast-check';
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  ConfirmDeviceCommand,
  CreateGroupCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  InitiateAuthCommand,
  SetUserPoolMfaConfigCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import generated from '../../src/http/model/cognito-constraints.json' with { type: 'json' };
import newer from '../../src/http/model/newer-operations.json' with { type: 'json' };
import { javaPatternToRegExp, operationNames, type ShapeRecord } from '../../src/http/model/validate.js';
import { operations as implemented } from '../../src/operations/index.js';
import { AWS_JSON, TARGET_PREFIX, type RawRequest } from './raw-http.js';
import { deviceVerifier, N, SrpClient, srpTimestamp } from './srp-client.js';

// --- the model -------------------------------------------------------------------------------------

export type Shape = ShapeRecord;
export const SHAPES: Record<string, Shape> = { ...(generated.shapes as Record<string, Shape>), ...(newer.shapes as Record<string, Shape>) };
export const OPERATIONS: Record<string, { input: string }> = { ...generated.operations, ...newer.operations };
export const ALL_OPERATIONS = operationNames();
export const isImplemented = (name: string) => Object.hasOwn(implemented, name);

// --- fixtures: real things for the requests to name ---------------------------------------------------

export interface Fixtures {
  poolId: string;
  poolArn: string;
  clientId: string;
  secretClientId: string;
  clientSecret: string;
  username: string;
  /** In FORCE_CHANGE_PASSWORD, with newPasswordSession open. */
  newbie: string;
  email: string;
  sub: string;
  password: string;
  accessToken: string;
  idToken: string;
  refreshToken: string;
  deviceKey: string;
  /** NEW_PASSWORD_REQUIRED for 'newbie'. */
  newPasswordSession: string;
  /** PASSWORD_VERIFIER after USER_SRP_AUTH for the user (Cognito sends no session with it; '' then). */
  srpSession: string;
  srpUserId: string;
  secretBlock: string;
  srpA: string;
}

const PASSWORD = 'Fuzz-Passw0rd!';

interface PoolFixtures {
  poolId: string;
  poolArn: string;
  clientId: string;
  secretClientId: string;
  clientSecret: string;
}

/** A pool (made with its signing keys, the slow part) with a plain and a secret client, and a group. */
async function makePool(cognito: CognitoIdentityProviderClient, region: string): Promise<PoolFixtures> {
  const { UserPool } = await cognito.send(
    new CreateUserPoolCommand({
      PoolName: `fuzz-${randomUUID().slice(0, 8)}`,
      AliasAttributes: ['email', 'preferred_username'],
      AutoVerifiedAttributes: ['email'],
      DeviceConfiguration: { ChallengeRequiredOnNewDevice: false, DeviceOnlyRememberedOnUserPrompt: false },
      Schema: [{ Name: 'tier', AttributeDataType: 'String', Mutable: true }],
    }),
  );
  const poolId = UserPool!.Id!;
  await cognito.send(new SetUserPoolMfaConfigCommand({ UserPoolId: poolId, MfaConfiguration: 'OPTIONAL', SoftwareTokenMfaConfiguration: { Enabled: true } }));
  const flows = ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_CUSTOM_AUTH'] as const;
  const plain = await cognito.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'fuzz', ExplicitAuthFlows: [...flows] }));
  const secret = await cognito.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'fuzz-secret', ExplicitAuthFlows: [...flows], GenerateSecret: true }));
  // Groups may not be implemented; a failure here only means GroupName gets no real value.
  await cognito.send(new CreateGroupCommand({ UserPoolId: poolId, GroupName: 'admins', Precedence: 1 })).catch(() => undefined);
  return {
    poolId,
    poolArn: UserPool!.Arn ?? `arn:aws:cognito-idp:${region}:000000000000:userpool/${poolId}`,
    clientId: plain.UserPoolClient!.ClientId!,
    secretClientId: secret.UserPoolClient!.ClientId!,
    clientSecret: secret.UserPoolClient!.ClientSecret!,
  };
}

/** Users in the pool (new names each time), signed in, with a remembered device and two open challenges. */
async function makeUsers(cognito: CognitoIdentityProviderClient, region: string, pool: PoolFixtures, n: number): Promise<Fixtures> {
  const { poolId, clientId } = pool;
  const username = `ann${n}`;
  const newbie = `newbie${n}`;
  const email = `ann${n}@example.com`;
  const created = await cognito.send(
    new AdminCreateUserCommand({
      UserPoolId: poolId,
      Username: username,
      MessageAction: 'SUPPRESS',
      UserAttributes: [
        { Name: 'email', Value: email },
        { Name: 'email_verified', Value: 'true' },
      ],
    }),
  );
  await cognito.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: username, Password: PASSWORD, Permanent: true }));
  await cognito.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: newbie, MessageAction: 'SUPPRESS', TemporaryPassword: PASSWORD }));
  await cognito.send(new AdminAddUserToGroupCommand({ UserPoolId: poolId, Username: username, GroupName: 'admins' })).catch(() => undefined);
  const signedIn = await cognito.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: username, PASSWORD } }));
  const result = signedIn.AuthenticationResult!;
  const device = result.NewDeviceMetadata;
  let deviceKey = `${region}_${randomUUID()}`;
  if (device?.DeviceKey && device.DeviceGroupKey) {
    deviceKey = device.DeviceKey;
    await cognito.send(
      new ConfirmDeviceCommand({ AccessToken: result.AccessToken!, DeviceKey: deviceKey, DeviceName: 'fuzz', DeviceSecretVerifierConfig: deviceVerifier(device.DeviceGroupKey, deviceKey).config }),
    );
  }
  const challenged = await cognito.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: newbie, PASSWORD } }));
  const srp = new SrpClient();
  const srpStart = await cognito.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_SRP_AUTH', AuthParameters: { USERNAME: username, SRP_A: srp.srpA } }));
  return {
    ...pool,
    username,
    newbie,
    email,
    sub: created.User!.Attributes!.find((a) => a.Name === 'sub')!.Value!,
    password: PASSWORD,
    accessToken: result.AccessToken!,
    idToken: result.IdToken!,
    refreshToken: result.RefreshToken!,
    deviceKey,
    newPasswordSession: challenged.Session!,
    srpSession: srpStart.Session ?? '',
    srpUserId: srpStart.ChallengeParameters!.USER_ID_FOR_SRP!,
    secretBlock: srpStart.ChallengeParameters!.SECRET_BLOCK!,
    srpA: srp.srpA,
  };
}

/** Operations that may change the pool or its clients in ways the checks below would not notice. */
const POOL_CHANGING = new Set(['UpdateUserPool', 'SetUserPoolMfaConfig', 'AddCustomAttributes', 'DeleteUserPool', 'UpdateUserPoolClient', 'DeleteUserPoolClient', 'DeleteGroup', 'TagResource', 'UntagResource']);

/**
 * Fixtures for the next operation: the same pool while it is untouched (making one costs an RSA key
 * pair), new users whenever the last ones can no longer sign in or use their token.
 */
export class FixtureKeeper {
  private pool?: PoolFixtures;
  private current?: Fixtures;
  private made = 0;
  constructor(
    private readonly cognito: CognitoIdentityProviderClient,
    private readonly region: string,
    private readonly stillWorks: (fx: Fixtures) => Promise<boolean>,
  ) {}

  async after(previousOperation?: string): Promise<Fixtures> {
    if (!this.pool || (previousOperation && POOL_CHANGING.has(previousOperation))) {
      this.pool = await makePool(this.cognito, this.region);
      this.current = undefined;
    }
    if (!this.current || !(await this.stillWorks(this.current))) {
      try {
        this.current = await makeUsers(this.cognito, this.region, this.pool, ++this.made);
      } catch {
        // Something else about the pool broke (a client deleted by name, say): start over.
        this.pool = await makePool(this.cognito, this.region);
        this.current = await makeUsers(this.cognito, this.region, this.pool, ++this.made);
      }
    }
    return this.current;
  }
}

/** Everything new, at once. */
export async function makeFixtures(cognito: CognitoIdentityProviderClient, region: string): Promise<Fixtures> {
  return makeUsers(cognito, region, await makePool(cognito, region), 0);
}

// --- arbitraries ---------------------------------------------------------------------------------------

/** Strings that have broken parsers, encoders, databases and loggers. */
const HOSTILE_STRINGS = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\ud800',
  '\udfff',
  'x\udc00\ud800y',
  '\ud83d',
  '😀',
  '\u2028\u2029',
  '\ufeff',
  '\u202e',
  'e\u0301',
  'ǅ',
  'İ',
  'ß',
  '\r\n',
  '\t',
  '"',
  '\\',
  "'",
  "' OR '1'='1",
  '"; DROP TABLE users; --',
  '%',
  '_',
  '%s%n%x',
  '${jndi:ldap://x}',
  '{{7*7}}',
  '{####}',
  '{username}',
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  'null',
  'undefined',
  'NaN',
  '-0',
  '1e309',
  '../../../etc/passwd',
  'us-east-1_',
  '_',
  'a'.repeat(129),
  'a'.repeat(2049),
];

const hugeString = fc
  .tuple(fc.constantFrom('a', 'é', '😀', '\ud800', ' ', '{####}', 'x@y.z', '\\', '"', '\u0000', '(a+)+', 'aaaaaaaaaaaaaaaaaaaaaaa!'), fc.integer({ min: 300, max: 120_000 }))
  .map(([unit, times]) => unit.repeat(Math.ceil(times / unit.length)));

const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...HOSTILE_STRINGS) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
  { weight: 1, arbitrary: fc.array(fc.integer({ min: 0xd800, max: 0xdfff }), { minLength: 1, maxLength: 4 }).map((units) => String.fromCharCode(...units)) },
  { weight: 1, arbitrary: hugeString },
);

const anyString: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
  { weight: 2, arbitrary: hostileString },
);

const base64 = fc.uint8Array({ maxLength: 64 }).map((bytes) => Buffer.from(bytes).toString('base64'));
const hex = fc.uint8Array({ maxLength: 400 }).map((bytes) => Buffer.from(bytes).toString('hex'));

const weirdNumbers: number[] = [0, -0, -1, 1, 2, 0.5, -2147483648, 2147483647, 2147483648, 4294967296, 9007199254740991, 9007199254740993, 1e21, 1e308, -1e308, 5e-324];
const anyNumber: fc.Arbitrary<number> = fc.oneof(fc.integer({ min: -5, max: 100 }), fc.constantFrom(...weirdNumbers), fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }));

const regexArbitraries = new Map<string, fc.Arbitrary<string> | undefined>();
/** Strings that match a model pattern (when fast-check can generate from it). */
function regexArbitrary(pattern: string): fc.Arbitrary<string> | undefined {
  if (!regexArbitraries.has(pattern)) {
    let arb: fc.Arbitrary<string> | undefined;
    try {
      arb = fc.stringMatching(javaPatternToRegExp(pattern));
      fc.sample(arb, { numRuns: 1, seed: 1 });
    } catch {
      arb = undefined;
    }
    regexArbitraries.set(pattern, arb);
  }
  return regexArbitraries.get(pattern);
}

const ATTRIBUTE_NAMES = [
  'email',
  'email_verified',
  'phone_number',
  'phone_number_verified',
  'name',
  'given_name',
  'family_name',
  'preferred_username',
  'sub',
  'address',
  'birthdate',
  'updated_at',
  'locale',
  'custom:tier',
  'custom:missing',
  'dev:custom:tier',
  'cognito:user_status',
  'cognito:username',
  'identities',
];

/** Real values for members and map keys, by name: these get past validation and into the operations. */
export function semanticValues(fx: Fixtures): Record<string, fc.Arbitrary<string>> {
  const secretHash = (username: string) => createHmac('sha256', fx.clientSecret).update(username + fx.secretClientId).digest('base64');
  const tampered = (token: string): fc.Arbitrary<string> =>
    token.length === 0 ? fc.constant('') : fc.nat(token.length - 1).map((at) => token.slice(0, at) + (token[at] === 'A' ? 'B' : 'A') + token.slice(at + 1));
  /** Mostly the real thing, sometimes a near miss. */
  const prefer = <T>(real: T, ...others: T[]): fc.Arbitrary<T> =>
    others.length ? fc.oneof({ weight: 6, arbitrary: fc.constant(real) }, { weight: 1, arbitrary: fc.constantFrom(...others) }) : fc.constant(real);
  const token = fc.oneof(
    { weight: 8, arbitrary: fc.constant(fx.accessToken) },
    { weight: 1, arbitrary: fc.constantFrom(fx.idToken, fx.refreshToken, 'a.b.c', 'eyJhbGciOiJub25lIn0.e30.') },
    { weight: 1, arbitrary: tampered(fx.accessToken) },
    { weight: 1, arbitrary: fc.nat(fx.accessToken.length).map((n) => fx.accessToken.slice(0, n)) },
  );
  const refresh = fc.oneof({ weight: 6, arbitrary: fc.constant(fx.refreshToken) }, { weight: 1, arbitrary: token }, { weight: 1, arbitrary: tampered(fx.refreshToken) });
  const username = prefer(fx.username, fx.email, fx.sub, fx.newbie, fx.username.toUpperCase(), 'nobody', fx.srpUserId);
  const password = fc.oneof(
    { weight: 6, arbitrary: fc.constant(fx.password) },
    { weight: 2, arbitrary: fc.constantFrom('Password1!', 'short', 'a'.repeat(257), ' leading', 'trailing ', 'nouppercase1!', 'NOLOWERCASE1!') },
    { weight: 1, arbitrary: anyString },
  );
  const srpA = fc.oneof(
    fc.constantFrom('0', '00', '1', N.toString(16), (N * 2n).toString(16), (N - 1n).toString(16), (N + 1n).toString(16), 'zz', '-1', '0x10', fx.srpA),
    hex,
  );
  const timestamp = fc.oneof(
    fc.constantFrom(srpTimestamp(Date.now()), srpTimestamp(Date.now(), { padDay: true }), srpTimestamp(0), 'Mon Feb 30 25:61:61 UTC 99999', 'today'),
    fc.integer({ min: -8.64e15, max: 8.64e15 }).map((ms) => srpTimestamp(ms)),
  );
  const code = fc.oneof(fc.constantFrom('123456', '000000', '12345', '1234567', '', 'abcdef'), fc.stringMatching(/^\d{6}$/));
  return {
    UserPoolId: prefer(fx.poolId, 'us-east-1_doesNotExist', 'eu-west-1_abcdef123', fx.poolId.toLowerCase()),
    ClientId: fc.oneof({ weight: 4, arbitrary: fc.constant(fx.clientId) }, { weight: 2, arbitrary: fc.constant(fx.secretClientId) }, { weight: 1, arbitrary: fc.constant('a'.repeat(26)) }),
    ClientSecret: fc.constantFrom(fx.clientSecret),
    Username: username,
    USERNAME: username,
    AccessToken: token,
    RefreshToken: refresh,
    Token: refresh,
    REFRESH_TOKEN: refresh,
    Session: fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...[fx.newPasswordSession, fx.srpSession].filter(Boolean)) }, { weight: 1, arbitrary: tampered(fx.newPasswordSession) }, { weight: 1, arbitrary: fc.string({ minLength: 20, maxLength: 64 }) }),
    Password: password,
    PASSWORD: password,
    ProposedPassword: password,
    PreviousPassword: password,
    TemporaryPassword: password,
    NEW_PASSWORD: password,
    SecretHash: fc.oneof(fc.constantFrom(secretHash(fx.username), secretHash(fx.sub)), base64),
    SECRET_HASH: fc.oneof(fc.constantFrom(secretHash(fx.username), secretHash(fx.sub)), base64),
    ResourceArn: prefer(fx.poolArn, `${fx.poolArn}x`, 'arn:aws:cognito-idp:us-east-1:000000000000:userpool/us-east-1_nothere'),
    DeviceKey: prefer(fx.deviceKey, `us-east-1_${randomUUID()}`),
    DEVICE_KEY: prefer(fx.deviceKey, `us-east-1_${randomUUID()}`),
    ConfirmationCode: code,
    Code: code,
    UserCode: code,
    SMS_MFA_CODE: code,
    SOFTWARE_TOKEN_MFA_CODE: code,
    EMAIL_OTP_CODE: code,
    SRP_A: srpA,
    TIMESTAMP: timestamp,
    PASSWORD_CLAIM_SIGNATURE: fc.oneof(base64, fc.constant('')),
    PASSWORD_CLAIM_SECRET_BLOCK: fc.oneof({ weight: 4, arbitrary: fc.constant(fx.secretBlock) }, { weight: 1, arbitrary: base64 }),
    ANSWER: anyString,
    AttributeName: fc.constantFrom(...ATTRIBUTE_NAMES),
    Name: fc.constantFrom(...ATTRIBUTE_NAMES),
    Value: fc.oneof(fc.constantFrom('true', 'false', fx.email, 'ANN@EXAMPLE.COM', '+15555550100', '+1', 'not-an-email', '1970-01-01', '0', 'gold'), anyString),
    Filter: fc.oneof(
      fc.constantFrom(
        'username = "ann"',
        'email ^= "ann"',
        'sub = ""',
        'status = "Enabled"',
        'cognito:user_status = "CONFIRMED"',
        'name = "\\""',
        'email ^= "%"',
        'email ^= "_"',
        'given_name = "\'; --"',
        'username=',
        '= "x"',
        'custom:tier = "x"',
      ),
      anyString.map((s) => `username = ${JSON.stringify(s)}`),
    ),
    PaginationToken: fc.oneof(base64, anyString, fc.constant(fx.refreshToken.slice(0, 40))),
    NextToken: fc.oneof(base64, anyString),
    PoolName: fc.oneof(fc.constantFrom('pool', 'p o o l'), anyString),
    ClientName: fc.oneof(fc.constantFrom('client'), anyString),
    GroupName: prefer('admins', 'nobody', 'ADMINS'),
    DeviceName: anyString,
    FriendlyDeviceName: anyString,
  };
}

/** Map keys worth sending, by map shape. */
const MAP_KEYS: Record<string, string[]> = {
  AuthParametersType: ['USERNAME', 'PASSWORD', 'SRP_A', 'SECRET_HASH', 'REFRESH_TOKEN', 'DEVICE_KEY', 'PREFERRED_CHALLENGE', 'CHALLENGE_NAME'],
  ChallengeResponsesType: [
    'USERNAME',
    'NEW_PASSWORD',
    'SMS_MFA_CODE',
    'SOFTWARE_TOKEN_MFA_CODE',
    'EMAIL_OTP_CODE',
    'PASSWORD_CLAIM_SIGNATURE',
    'PASSWORD_CLAIM_SECRET_BLOCK',
    'TIMESTAMP',
    'ANSWER',
    'SECRET_HASH',
    'DEVICE_KEY',
    'SRP_A',
    'PASSWORD',
    'userAttributes.email',
    'userAttributes.name',
    'userAttributes.custom:tier',
    'userAttributes.sub',
    'requiredAttributes',
    'MFAS_CAN_SETUP',
  ],
};

const MISSING = Symbol('missing');
const MAX_DEPTH = 5;

/** A value of the shape's JSON type, from real, random, hostile and pattern-matching candidates. */
function typedValue(shapeName: string, memberName: string, fx: Fixtures, semantic: Record<string, fc.Arbitrary<string>>, depth: number): fc.Arbitrary<unknown> {
  const shape = SHAPES[shapeName]!;
  switch (shape.type) {
    case 'string': {
      const real = semantic[memberName];
      const matching = shape.pattern && !shape.enum ? regexArbitrary(shape.pattern) : undefined;
      // Pattern-matching strings stretched or cut to the length limits (repeating keeps most patterns matched).
      const fitting = matching
        ? matching.map((text) => {
            let fitted = text;
            while (fitted.length > 0 && fitted.length < (shape.min ?? 0)) fitted += text;
            return fitted.slice(0, shape.max ?? Infinity);
          })
        : fc.string({ minLength: shape.min ?? 0, maxLength: Math.max(shape.min ?? 0, Math.min(shape.max ?? 40, 40)) });
      // Mostly values that pass validation, so the operation itself runs; the rest is anything.
      const valid = real ?? (shape.enum ? fc.constantFrom(...shape.enum) : fitting);
      return fc.oneof({ weight: 12, arbitrary: valid }, { weight: 1, arbitrary: fitting }, { weight: 1, arbitrary: anyString });
    }
    case 'integer':
    case 'long':
    case 'double': {
      const min = shape.min ?? -5;
      const max = shape.max ?? 1000;
      const edges = [min, max, min - 1, max + 1];
      return fc.oneof({ weight: 8, arbitrary: fc.integer({ min, max }) }, { weight: 1, arbitrary: fc.constantFrom(...edges) }, { weight: 1, arbitrary: anyNumber });
    }
    case 'boolean':
      return fc.boolean();
    case 'blob':
      return fc.oneof(base64, anyString);
    case 'timestamp':
      return fc.oneof(anyNumber, anyString);
    case 'document':
      return fc.jsonValue({ maxDepth: 3 });
    case 'list': {
      if (depth > MAX_DEPTH) return fc.constant([]);
      const element = typedValue(shape.member!, memberName, fx, semantic, depth + 1);
      return fc.oneof({ weight: 8, arbitrary: fc.array(element, { maxLength: 4 }) }, { weight: 1, arbitrary: fc.array(element, { minLength: 30, maxLength: 120 }) });
    }
    case 'map': {
      if (depth > MAX_DEPTH) return fc.constant({});
      const valueShape = shape.value!;
      const entry = fc.oneof(
        ...(MAP_KEYS[shapeName] ?? []).map((key) => ({ weight: 5, arbitrary: fc.tuple(fc.constant(key), typedValue(valueShape, key, fx, semantic, depth + 1)) })),
        { weight: 1, arbitrary: fc.tuple(anyString, typedValue(valueShape, '', fx, semantic, depth + 1)) },
      );
      return fc.array(entry, { maxLength: 6 }).map((entries) => Object.fromEntries(entries));
    }
    case 'structure':
      return depth > MAX_DEPTH ? fc.constant({}) : structureValue(shapeName, fx, semantic, depth);
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

export function structureValue(shapeName: string, fx: Fixtures, semantic: Record<string, fc.Arbitrary<string>>, depth: number): fc.Arbitrary<Record<string, unknown>> {
  const shape = SHAPES[shapeName]!;
  const members = Object.entries(shape.members ?? {});
  const required = new Set(shape.required ?? []);
  return fc
    .tuple(
      ...members.map(([name, memberShape]) =>
        // MISSING first: a counterexample shrinks to the fewest members.
      (required.has(name)
          ? fc.oneof({ weight: 1, arbitrary: fc.constant(MISSING) }, { weight: 15, arbitrary: typedValue(memberShape, name, fx, semantic, depth + 1) })
          : fc.oneof({ weight: 2, arbitrary: fc.constant(MISSING) }, { weight: 1, arbitrary: typedValue(memberShape, name, fx, semantic, depth + 1) })
        ).map((value) => [name, value] as const),
      ),
    )
    .map((entries) => Object.fromEntries(entries.filter(([, value]) => value !== MISSING)));
}

/**
 * Hand-made inputs for the operations with the deepest code behind validation: real pools, clients,
 * users, sessions and tokens, with the parts that matter (auth parameters, challenge responses,
 * attributes, passwords, pool settings) random. The typed generator rarely lines all of that up.
 */
export function templates(fx: Fixtures, semantic: Record<string, fc.Arbitrary<string>>): Record<string, fc.Arbitrary<Record<string, unknown>>> {
  const s = (name: string) => semantic[name]!;
  const freshName = fc.oneof(fc.stringMatching(/^[a-z][a-z0-9._-]{0,15}$/), fc.constantFrom(fx.username, fx.newbie, fx.username.toUpperCase(), 'new.user', 'x@example.com', '+15555550100'));
  const attribute = fc.record({ Name: s('Name'), Value: s('Value') }, { requiredKeys: ['Name'] });
  const attributes = fc.array(attribute, { maxLength: 5 });
  const secretHashFor = (username: string) => createHmac('sha256', fx.clientSecret).update(username + fx.secretClientId).digest('base64');
  const authParameters = (flows: string[]) =>
    fc.tuple(fc.constantFrom(...flows), fc.boolean(), fc.record({ USERNAME: s('USERNAME'), PASSWORD: s('PASSWORD'), SRP_A: s('SRP_A'), REFRESH_TOKEN: s('REFRESH_TOKEN'), DEVICE_KEY: s('DEVICE_KEY'), PREFERRED_CHALLENGE: fc.constantFrom('PASSWORD', 'PASSWORD_SRP', 'EMAIL_OTP', 'SMS_OTP', 'WEB_AUTHN', 'x') }, { requiredKeys: [] }), fc.dictionary(fc.string({ maxLength: 12 }), fc.string({ maxLength: 12 }), { maxKeys: 2 }))
      .map(([AuthFlow, useSecretClient, params, extra]) => {
        const AuthParameters: Record<string, unknown> = { ...extra, ...params };
        if (useSecretClient && typeof params.USERNAME === 'string') AuthParameters.SECRET_HASH = secretHashFor(params.USERNAME);
        return { AuthFlow, ClientId: useSecretClient ? fx.secretClientId : fx.clientId, AuthParameters };
      });
  const challengeResponses = fc.record(
    {
      USERNAME: s('USERNAME'),
      NEW_PASSWORD: s('NEW_PASSWORD'),
      PASSWORD_CLAIM_SIGNATURE: s('PASSWORD_CLAIM_SIGNATURE'),
      PASSWORD_CLAIM_SECRET_BLOCK: s('PASSWORD_CLAIM_SECRET_BLOCK'),
      TIMESTAMP: s('TIMESTAMP'),
      SOFTWARE_TOKEN_MFA_CODE: s('SOFTWARE_TOKEN_MFA_CODE'),
      SMS_MFA_CODE: s('SMS_MFA_CODE'),
      EMAIL_OTP_CODE: s('EMAIL_OTP_CODE'),
      DEVICE_KEY: s('DEVICE_KEY'),
      SRP_A: s('SRP_A'),
      ANSWER: s('ANSWER'),
      'userAttributes.email': s('Value'),
      'userAttributes.name': s('Value'),
      'userAttributes.custom:tier': s('Value'),
    },
    { requiredKeys: ['USERNAME'] },
  );
  const challenge = fc
    .tuple(
      fc.constantFrom('NEW_PASSWORD_REQUIRED', 'PASSWORD_VERIFIER', 'SOFTWARE_TOKEN_MFA', 'SMS_MFA', 'EMAIL_OTP', 'SELECT_MFA_TYPE', 'MFA_SETUP', 'DEVICE_SRP_AUTH', 'DEVICE_PASSWORD_VERIFIER', 'CUSTOM_CHALLENGE', 'PASSWORD', 'SELECT_CHALLENGE'),
      challengeResponses,
      fc.oneof({ weight: 4, arbitrary: fc.constant(fx.newPasswordSession) }, { weight: 1, arbitrary: s('Session') }, { weight: 1, arbitrary: fc.constant(undefined) }),
      fc.boolean(),
    )
    .map(([ChallengeName, ChallengeResponses, Session, useSecretClient]) => {
      const responses: Record<string, unknown> = { ...ChallengeResponses };
      if (ChallengeName === 'PASSWORD_VERIFIER' && responses.USERNAME === fx.username) responses.USERNAME = fx.srpUserId;
      if (useSecretClient && typeof responses.USERNAME === 'string') responses.SECRET_HASH = secretHashFor(responses.USERNAME);
      return { ChallengeName, ClientId: useSecretClient ? fx.secretClientId : fx.clientId, ChallengeResponses: responses, ...(Session === undefined ? {} : { Session }) };
    });
  const signUpLike = fc
    .tuple(freshName, s('Password'), attributes, fc.boolean(), fc.option(fc.constantFrom('x', 'y'), { nil: undefined }))
    .map(([Username, Password, UserAttributes, useSecretClient, validation]) => ({
      ClientId: useSecretClient ? fx.secretClientId : fx.clientId,
      Username,
      Password,
      UserAttributes,
      ...(useSecretClient ? { SecretHash: secretHashFor(Username) } : {}),
      ...(validation ? { ValidationData: [{ Name: validation, Value: validation }] } : {}),
    }));
  const passwordPolicy = fc.record(
    { MinimumLength: fc.integer({ min: 5, max: 100 }), RequireUppercase: fc.boolean(), RequireLowercase: fc.boolean(), RequireNumbers: fc.boolean(), RequireSymbols: fc.boolean(), TemporaryPasswordValidityDays: fc.integer({ min: 0, max: 366 }), PasswordHistorySize: fc.integer({ min: 0, max: 24 }) },
    { requiredKeys: [] },
  );
  const poolSettings = fc.record(
    {
      Policies: passwordPolicy.map((PasswordPolicy) => ({ PasswordPolicy })),
      AutoVerifiedAttributes: fc.subarray(['email', 'phone_number']),
      MfaConfiguration: fc.constantFrom('OFF', 'ON', 'OPTIONAL'),
      DeletionProtection: fc.constantFrom('ACTIVE', 'INACTIVE'),
      UserPoolTags: fc.dictionary(fc.string({ minLength: 1, maxLength: 10 }), fc.string({ maxLength: 10 }), { maxKeys: 3 }),
      AdminCreateUserConfig: fc.record({ AllowAdminCreateUserOnly: fc.boolean() }),
      VerificationMessageTemplate: fc.record({ DefaultEmailOption: fc.constantFrom('CONFIRM_WITH_CODE', 'CONFIRM_WITH_LINK'), EmailMessage: fc.constantFrom('Code {####}', '{####}', 'no code'), SmsMessage: fc.constantFrom('{####}', 'x') }, { requiredKeys: [] }),
      AccountRecoverySetting: fc.constantFrom(
        { RecoveryMechanisms: [{ Name: 'verified_email', Priority: 1 }] },
        { RecoveryMechanisms: [{ Name: 'verified_email', Priority: 1 }, { Name: 'verified_phone_number', Priority: 2 }] },
        { RecoveryMechanisms: [{ Name: 'admin_only', Priority: 1 }] },
        { RecoveryMechanisms: [{ Name: 'verified_email', Priority: 1 }, { Name: 'verified_email', Priority: 1 }] },
      ),
    },
    { requiredKeys: [] },
  );
  const schema = fc.array(
    fc.record(
      {
        Name: fc.constantFrom('tier', 'email', 'x'.repeat(21), 'level', 'sub', 'custom:dup'),
        AttributeDataType: fc.constantFrom('String', 'Number', 'DateTime', 'Boolean'),
        Mutable: fc.boolean(),
        Required: fc.boolean(),
        DeveloperOnlyAttribute: fc.boolean(),
        StringAttributeConstraints: fc.record({ MinLength: fc.constantFrom('0', '1', '5', '-1', 'x', '2048'), MaxLength: fc.constantFrom('1', '10', '2048', '2049', 'y') }, { requiredKeys: [] }),
        NumberAttributeConstraints: fc.record({ MinValue: fc.constantFrom('0', '-5', 'x'), MaxValue: fc.constantFrom('10', '1e9', 'y') }, { requiredKeys: [] }),
      },
      { requiredKeys: ['Name'] },
    ),
    { maxLength: 4 },
  );
  const flows = fc.subarray(['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_CUSTOM_AUTH', 'ALLOW_USER_AUTH']);
  const clientSettings = fc.record(
    {
      ExplicitAuthFlows: flows,
      GenerateSecret: fc.boolean(),
      RefreshTokenValidity: fc.constantFrom(1, 30, 3650, 0, 3651),
      AccessTokenValidity: fc.constantFrom(1, 5, 60, 24, 0, 86401),
      TokenValidityUnits: fc.record({ AccessToken: fc.constantFrom('seconds', 'minutes', 'hours', 'days'), RefreshToken: fc.constantFrom('minutes', 'days') }, { requiredKeys: [] }),
      ReadAttributes: fc.subarray(['email', 'email_verified', 'name', 'custom:tier', 'preferred_username', ...ATTRIBUTE_NAMES.slice(-3)]),
      WriteAttributes: fc.subarray(['email', 'name', 'custom:tier', 'preferred_username', ...ATTRIBUTE_NAMES.slice(-3)]),
      PreventUserExistenceErrors: fc.constantFrom('ENABLED', 'LEGACY'),
      EnableTokenRevocation: fc.boolean(),
      CallbackURLs: fc.array(fc.constantFrom('https://example.com/cb', 'http://localhost/cb', 'not a url', 'https://x#frag'), { maxLength: 2 }),
      AllowedOAuthFlows: fc.subarray(['code', 'implicit', 'client_credentials']),
      AllowedOAuthScopes: fc.subarray(['openid', 'email', 'profile', 'aws.cognito.signin.user.admin']),
    },
    { requiredKeys: [] },
  );
  return {
    InitiateAuth: authParameters(['USER_PASSWORD_AUTH', 'USER_SRP_AUTH', 'REFRESH_TOKEN_AUTH', 'REFRESH_TOKEN', 'CUSTOM_AUTH', 'USER_AUTH', 'ADMIN_NO_SRP_AUTH']),
    AdminInitiateAuth: authParameters(['ADMIN_USER_PASSWORD_AUTH', 'ADMIN_NO_SRP_AUTH', 'REFRESH_TOKEN_AUTH', 'USER_SRP_AUTH', 'CUSTOM_AUTH', 'USER_AUTH']).map((input) => ({ ...input, UserPoolId: fx.poolId })),
    RespondToAuthChallenge: challenge,
    AdminRespondToAuthChallenge: challenge.map((input) => ({ ...input, UserPoolId: fx.poolId })),
    SignUp: signUpLike,
    AdminCreateUser: fc
      .tuple(freshName, attributes, fc.constantFrom(undefined, 'SUPPRESS', 'RESEND'), fc.option(s('TemporaryPassword'), { nil: undefined }), fc.subarray(['EMAIL', 'SMS']), fc.boolean())
      .map(([Username, UserAttributes, MessageAction, TemporaryPassword, DesiredDeliveryMediums, ForceAliasCreation]) => ({
        UserPoolId: fx.poolId,
        Username,
        UserAttributes,
        DesiredDeliveryMediums,
        ForceAliasCreation,
        ...(MessageAction ? { MessageAction } : {}),
        ...(TemporaryPassword === undefined ? {} : { TemporaryPassword }),
      })),
    AdminUpdateUserAttributes: fc.tuple(s('Username'), attributes).map(([Username, UserAttributes]) => ({ UserPoolId: fx.poolId, Username, UserAttributes })),
    UpdateUserAttributes: fc.tuple(s('AccessToken'), attributes).map(([AccessToken, UserAttributes]) => ({ AccessToken, UserAttributes })),
    AdminDeleteUserAttributes: fc.tuple(s('Username'), fc.array(s('Name'), { maxLength: 4 })).map(([Username, UserAttributeNames]) => ({ UserPoolId: fx.poolId, Username, UserAttributeNames })),
    DeleteUserAttributes: fc.tuple(s('AccessToken'), fc.array(s('Name'), { maxLength: 4 })).map(([AccessToken, UserAttributeNames]) => ({ AccessToken, UserAttributeNames })),
    ChangePassword: fc.tuple(s('AccessToken'), s('PreviousPassword'), s('ProposedPassword')).map(([AccessToken, PreviousPassword, ProposedPassword]) => ({ AccessToken, PreviousPassword, ProposedPassword })),
    ConfirmSignUp: fc.tuple(signUpLike, s('ConfirmationCode'), fc.boolean()).map(([{ ClientId, Username, SecretHash }, ConfirmationCode, force]) => ({ ClientId, Username, ConfirmationCode, ForceAliasCreation: force, ...(SecretHash ? { SecretHash } : {}) })),
    ConfirmForgotPassword: fc.tuple(s('Username'), s('ConfirmationCode'), s('Password')).map(([Username, ConfirmationCode, Password]) => ({ ClientId: fx.clientId, Username, ConfirmationCode, Password })),
    ResendConfirmationCode: s('Username').map((Username) => ({ ClientId: fx.clientId, Username })),
    GetUserAttributeVerificationCode: fc.tuple(s('AccessToken'), s('AttributeName')).map(([AccessToken, AttributeName]) => ({ AccessToken, AttributeName })),
    VerifyUserAttribute: fc.tuple(s('AccessToken'), s('AttributeName'), s('Code')).map(([AccessToken, AttributeName, Code]) => ({ AccessToken, AttributeName, Code })),
    GetTokensFromRefreshToken: fc.tuple(s('RefreshToken'), fc.boolean()).map(([RefreshToken, secret]) => ({ RefreshToken, ClientId: secret ? fx.secretClientId : fx.clientId, ...(secret ? { ClientSecret: fx.clientSecret } : {}) })),
    ConfirmDevice: fc.tuple(s('AccessToken'), s('DeviceKey'), fc.record({ PasswordVerifier: fc.oneof(fc.base64String(), fc.string()), Salt: fc.oneof(fc.base64String(), fc.string()) }, { requiredKeys: [] })).map(([AccessToken, DeviceKey, DeviceSecretVerifierConfig]) => ({ AccessToken, DeviceKey, DeviceSecretVerifierConfig, DeviceName: 'x' })),
    VerifySoftwareToken: fc.tuple(s('AccessToken'), s('UserCode')).map(([AccessToken, UserCode]) => ({ AccessToken, UserCode })),
    CreateUserPool: fc
      .tuple(s('PoolName'), poolSettings, fc.constantFrom(undefined, ['email'], ['phone_number'], ['email', 'phone_number']), fc.constantFrom(undefined, ['email'], ['preferred_username'], ['phone_number', 'email']), schema)
      .map(([PoolName, settings, UsernameAttributes, AliasAttributes, Schema]) => ({ PoolName, ...settings, ...(UsernameAttributes ? { UsernameAttributes } : {}), ...(AliasAttributes ? { AliasAttributes } : {}), ...(Schema.length ? { Schema } : {}) })),
    UpdateUserPool: poolSettings.map((settings) => ({ UserPoolId: fx.poolId, ...settings })),
    AddCustomAttributes: schema.map((CustomAttributes) => ({ UserPoolId: fx.poolId, CustomAttributes })),
    CreateUserPoolClient: clientSettings.map((settings) => ({ UserPoolId: fx.poolId, ClientName: 'fuzzed', ...settings })),
    UpdateUserPoolClient: clientSettings.map(({ GenerateSecret: _ignored, ...settings }) => ({ UserPoolId: fx.poolId, ClientId: fx.clientId, ...settings })),
  };
}

/** A JSON value that is not of the shape's type (and sometimes of no type at all). */
function wrongTypedValue(shapeName: string): fc.Arbitrary<unknown> {
  const type = SHAPES[shapeName]?.type;
  const all: fc.Arbitrary<unknown>[] = [
    fc.constant(null),
    fc.boolean(),
    anyNumber,
    anyString,
    fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 3 }),
    fc.dictionary(anyString, fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 }),
  ];
  const isWrong: Record<string, (value: unknown) => boolean> = {
    string: (v) => typeof v !== 'string',
    integer: (v) => typeof v !== 'number',
    long: (v) => typeof v !== 'number',
    double: (v) => typeof v !== 'number',
    boolean: (v) => typeof v !== 'boolean',
    list: (v) => !Array.isArray(v),
    map: (v) => typeof v !== 'object' || v === null || Array.isArray(v),
    structure: (v) => typeof v !== 'object' || v === null || Array.isArray(v),
  };
  const check = isWrong[type ?? ''];
  return check ? fc.oneof(...all).filter(check) : fc.oneof(...all);
}

/** What goes over the wire: kept as text where it can be, so a shrunk counterexample reads well. */
export interface FuzzCase {
  kind: string;
  target: string | null;
  contentType: string | null;
  body: string | Uint8Array;
  extraHeaders?: Record<string, string>;
}

export function toRaw(url: string, fuzz: FuzzCase): RawRequest {
  const headers: Record<string, string> = { host: new URL(url).host, ...(fuzz.extraHeaders ?? {}) };
  if (fuzz.contentType !== null) headers['content-type'] = fuzz.contentType;
  if (fuzz.target !== null) headers['x-amz-target'] = fuzz.target;
  return { headers, body: typeof fuzz.body === 'string' ? fuzz.body : Buffer.from(fuzz.body) };
}

export const json = (value: unknown) => JSON.stringify(value) ?? 'null';

function nested(depth: number, style: 'array' | 'object' | 'mixed'): string {
  if (style === 'array') return '['.repeat(depth) + ']'.repeat(depth);
  if (style === 'object') return '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
  return '[{"a":'.repeat(depth) + '1' + '}]'.repeat(depth);
}

/** Invalid UTF-8: a lone continuation byte, an overlong encoding, a CESU-8 surrogate, a truncated sequence, 0xFF. */
const INVALID_UTF8 = [[0x80], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xe2, 0x82], [0xff], [0xfe, 0xff], [0xf4, 0x90, 0x80, 0x80]];

export function operationCases(operation: string, fx: Fixtures, semantic: Record<string, fc.Arbitrary<string>>): fc.Arbitrary<FuzzCase> {
  const input = OPERATIONS[operation]!.input;
  const target = `${TARGET_PREFIX}${operation}`;
  const memberNames = Object.keys(SHAPES[input]?.members ?? {});
  const template = templates(fx, semantic)[operation];
  const typed: fc.Arbitrary<Record<string, unknown>> = template
    ? fc.oneof({ weight: 2, arbitrary: template }, { weight: 1, arbitrary: structureValue(input, fx, semantic, 0) })
    : structureValue(input, fx, semantic, 0);
  const at = (kind: string, body: string | Uint8Array, contentType: string | null = AWS_JSON): FuzzCase => ({ kind, target, contentType, body });

  const wellTyped = typed.map((value) => at('typed', json(value)));
  const wrongTypes = (memberNames.length === 0 ? fc.constant({}) : fc.dictionary(fc.constantFrom(...memberNames), fc.constant(null), { minKeys: 1, maxKeys: 4 }))
    .chain((picked) =>
      fc.tuple(typed, fc.tuple(...Object.keys(picked).map((name) => fc.tuple(fc.constant(name), wrongTypedValue(SHAPES[input]!.members![name]!))))),
    )
    .map(([value, wrong]) => at('wrong-types', json({ ...value, ...Object.fromEntries(wrong) })));
  const anyJson = fc.jsonValue().map((value) => at('any-json', json(value)));
  const deep = fc
    .tuple(fc.constantFrom(...(memberNames.length ? memberNames : ['Anything']), '__proto__', 'Unknown'), fc.integer({ min: 33, max: 150_000 }), fc.constantFrom('array', 'object', 'mixed') as fc.Arbitrary<'array' | 'object' | 'mixed'>)
    .map(([member, depth, style]) => at('deep', `{${JSON.stringify(member)}:${nested(depth, style)}}`));
  const truncated = fc.tuple(typed, fc.nat()).map(([value, cut]) => {
    const text = json(value);
    return at('truncated', text.slice(0, cut % Math.max(1, text.length)));
  });
  const invalidUtf8 = fc
    .tuple(typed, fc.constantFrom(...INVALID_UTF8), fc.nat())
    .map(([value, bad, where]) => {
      const text = Buffer.from(json(value), 'utf8');
      // Inside a string if there is one, so the bytes reach a member's value.
      const quotes = [...text.entries()].filter(([, byte]) => byte === 0x22).map(([i]) => i);
      const cut = quotes.length >= 2 ? quotes[1 + (where % (quotes.length - 1))]! : where % (text.length + 1);
      return at('invalid-utf8', new Uint8Array(Buffer.concat([text.subarray(0, cut), Buffer.from(bad), text.subarray(cut)])));
    });
  const randomBytes = fc.uint8Array({ maxLength: 300 }).map((bytes) => at('random-bytes', bytes));
  const hostileMembers = fc
    .tuple(typed, fc.constantFrom(...(memberNames.length ? memberNames : ['Anything'])), hostileString)
    .map(([value, member, text]) => at('hostile-member', json({ ...value, [member]: text })));
  const escapes = fc
    .tuple(typed, fc.constantFrom('\\ud800', '\\udfff', '\\u0000', '\\ud83d\\ude00', '\\uDBFF\\uDFFF', '\\x41', '\\u12', '\\/'))
    .map(([value, escape]) => {
      const text = json(value);
      const at2 = text.indexOf('":"');
      return at('escapes', at2 < 0 ? `{"Username":"${escape}"}` : `${text.slice(0, at2 + 3)}${escape}${text.slice(at2 + 3)}`);
    });
  const nonObject = fc
    .constantFrom('[]', '"x"', '1', 'true', 'null', '', ' ', '\n', '{}garbage', '{"a":1}{"b":2}', '{"a":1,}', "{'a':1}", 'NaN', '1e999', '{"a":1e999}', '\ufeff{}', '{"__proto__":{"x":1}}', '{"constructor":{"prototype":{}}}')
    .map((text) => at('non-object', text));
  const duplicateKeys = fc
    .tuple(typed, fc.constantFrom(...(memberNames.length ? memberNames : ['Anything'])))
    .map(([value, member]) => at('duplicate-keys', `${json(value).slice(0, -1)}${Object.keys(value).length ? ',' : ''}${JSON.stringify(member)}:{"nested":[1,2,3]}}`));
  const oversized = fc.constantFrom(1024 * 1024 + 1, 3 * 1024 * 1024).map((size) => at('oversized', `{"Username":"${'a'.repeat(size)}"}`));

  return fc.oneof(
    { weight: 20, arbitrary: wellTyped },
    { weight: 3, arbitrary: wrongTypes },
    { weight: 2, arbitrary: hostileMembers },
    { weight: 1, arbitrary: anyJson },
    { weight: 1, arbitrary: deep },
    { weight: 1, arbitrary: truncated },
    { weight: 1, arbitrary: invalidUtf8 },
    { weight: 1, arbitrary: escapes },
    { weight: 1, arbitrary: nonObject },
    { weight: 1, arbitrary: duplicateKeys },
    { weight: 1, arbitrary: randomBytes },
  ).chain((fuzz) => fc.oneof({ weight: 40, arbitrary: fc.constant(fuzz) }, { weight: 1, arbitrary: oversized }));
}

/** Odd headers around otherwise ordinary bodies: content types, targets, encodings. */
export function protocolCases(fx: Fixtures): fc.Arbitrary<FuzzCase> {
  const names = [...ALL_OPERATIONS];
  const contentType = fc.oneof(
    fc.constantFrom(
      null,
      '',
      AWS_JSON,
      'application/json',
      'application/x-amz-json-1.0',
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=xyz',
      'application/json; charset=utf-16',
      'application/x-amz-json-1.1; charset=latin1',
      'a/b;;;=',
      '*/*',
      'application/cbor',
      'application/x-amz-cbor-1.1',
    ),
    fc.string({ unit: 'binary-ascii', maxLength: 30 }).filter((s) => /^[\x20-\x7e]*$/.test(s)),
  );
  const target = fc.oneof(
    fc.constantFrom(...names).map((name) => `${TARGET_PREFIX}${name}`),
    fc.constantFrom(
      null,
      '',
      TARGET_PREFIX,
      `${TARGET_PREFIX}__proto__`,
      `${TARGET_PREFIX}constructor`,
      `${TARGET_PREFIX}hasOwnProperty`,
      `${TARGET_PREFIX}toString`,
      `${TARGET_PREFIX}listuserpools`,
      `${TARGET_PREFIX}ListUserPools `,
      ` ${TARGET_PREFIX}ListUserPools`,
      `${TARGET_PREFIX}ListUserPools.ListUserPools`,
      'AWSCognitoIdentityService.GetId',
      'AmazonCognitoIdentityProvider.ListUserPools',
      'ListUserPools',
      `${TARGET_PREFIX}ListUserPools, ${TARGET_PREFIX}DeleteUserPool`,
    ),
    fc.string({ unit: 'binary-ascii', maxLength: 40 }).filter((s) => /^[\x20-\x7e]*$/.test(s)).map((s) => `${TARGET_PREFIX}${s}`),
  );
  const extraHeaders = fc.constantFrom<Record<string, string> | undefined>(
    undefined,
    { 'content-encoding': 'gzip' },
    { 'content-encoding': 'identity' },
    { 'x-amz-date': 'yesterday' },
    { authorization: 'AWS4-HMAC-SHA256 Credential=x' },
    { authorization: 'Bearer '.padEnd(8000, 'x') },
    { 'x-amz-user-agent': '\u00ff' },
    { expect: '100-continue' },
    { 'x-forwarded-for': 'not-an-ip, 999.1.1.1' },
  );
  const body = fc.constantFrom('{}', json({ MaxResults: 5 }), json({ UserPoolId: fx.poolId }), json({ AccessToken: fx.accessToken }), json({ ClientId: fx.clientId, Username: fx.username }), '', '{', '[]');
  return fc.record({ kind: fc.constant('protocol'), target, contentType, body, extraHeaders }).map(({ extraHeaders: extra, ...rest }) => (extra ? { ...rest, extraHeaders: extra } : rest));
}

