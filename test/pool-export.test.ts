// Issue 22, point 2: `gatehouse export` and `gatehouse import` move a whole pool between
// installations — here from SQLite to PostgreSQL (or to another SQLite file without PostgreSQL),
// each with its own server key — and every kind of user signs in on the other side unchanged:
// by password, by SRP, with TOTP, from a remembered device, with a client secret; groups, app
// clients and settings come along. A file that is cut short or names a pool that exists is refused
// before anything is written.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHmac, generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  AddUserPoolClientSecretCommand,
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminSetUserPasswordCommand,
  AssociateSoftwareTokenCommand,
  ConfirmDeviceCommand,
  CreateGroupCommand,
  CreateResourceServerCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DescribeResourceServerCommand,
  DescribeUserPoolCommand,
  InitiateAuthCommand,
  ListUserPoolClientSecretsCommand,
  ListUsersCommand,
  RespondToAuthChallengeCommand,
  SetUserMFAPreferenceCommand,
  SetUserPoolMfaConfigCommand,
  VerifySoftwareTokenCommand,
  type AuthenticationResultType,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { Algorithm, hash as argon2Hash } from '@node-rs/argon2';
import { authenticator } from 'otplib';
import { errorOf } from './support/errors.js';
import { cognitoClient, databaseFor } from './support/gatehouse.js';
import { postgresAvailable } from './support/postgres.js';
import { CLI, run, serve, type ServerProcess } from './support/process.js';
import { deviceVerifier, poolNameOf, SrpClient, srpTimestamp, type SrpChallenge } from './support/srp-client.js';

const PASSWORD = 'Exported-password-1';
const target = postgresAvailable() ? 'postgres' : 'sqlite';
const decode = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8'));
const stop = async (server: ServerProcess) => {
  server.child.kill('SIGTERM');
  await server.exited;
};

interface Source {
  poolId: string;
  clientId: string;
  secretClientId: string;
  clientSecret: string;
  /** The secret added for rotation: both must come along. */
  secondSecret: string;
  totpSecret: string;
  device: { key: string; groupKey: string; password: string };
}

describe(`gatehouse export and import (sqlite → ${target})`, () => {
  let from: { database: string; cleanup(): Promise<void> };
  let to: { database: string; cleanup(): Promise<void> };
  const targetKey = { GATEHOUSE_SERVER_KEY: randomBytes(32).toString('base64') };
  let source: Source;
  let file: string;

  before(async () => {
    from = await databaseFor('sqlite');
    to = await databaseFor(target);
    const server = await serve(['--port', '0', '--db', from.database, '--workers', '1']);
    const cognito = cognitoClient(server.url);
    try {
      source = await populate(cognito);
    } finally {
      cognito.destroy();
      await stop(server);
    }
    file = join(from.database, '..', 'pool.jsonl');
  });
  after(async () => {
    await from.cleanup();
    await to.cleanup();
  });

  test('export writes the pool file; import checks it whole, then writes the pool under the target\'s key', async () => {
    const exported = await run(['export', '--pool', source.poolId, '--db', from.database]);
    assert.equal(exported.code, 0, exported.stderr);
    await writeFile(file, exported.stdout);
    const lines = exported.stdout.trim().split('\n').map((line) => JSON.parse(line));
    assert.equal(lines[0].type, 'pool');
    assert.equal(lines[0].format, 'gatehouse-pool');
    assert.equal(lines[0].version, 1);
    assert.deepEqual(lines.at(-1), { type: 'end', poolId: source.poolId, counts: { clients: 2, documents: 1, groups: 1, users: 4, devices: 2 } }); // tom's sign-in left an unconfirmed device too
    assert.ok(!exported.stdout.includes('"gh1.'), 'no value sealed with the source key is left in the file');

    const imported = await pipeInto(['import', '--db', to.database], file, targetKey);
    assert.equal(imported.code, 0, imported.stderr);
    assert.match(imported.stderr, new RegExp(`imported pool ${source.poolId}: 4 users, 1 groups, 2 app clients, 2 devices`));
  });

  test('on the target every user signs in as before: password, SRP, TOTP, a remembered device, a client secret', async () => {
    const server = await serve(['--port', '0', '--db', to.database, '--workers', '1'], targetKey);
    const cognito = cognitoClient(server.url);
    try {
      const { UserPool } = await cognito.send(new DescribeUserPoolCommand({ UserPoolId: source.poolId }));
      assert.equal(UserPool!.Name, 'moving');
      assert.equal(UserPool!.EstimatedNumberOfUsers, 4);
      const server2 = await cognito.send(new DescribeResourceServerCommand({ UserPoolId: source.poolId, Identifier: 'https://api.example.com' }));
      assert.equal(server2.ResourceServer!.Name, 'api');

      const pat = await passwordSignIn(cognito, source.clientId, 'pat');
      assert.deepEqual(decode(pat.AccessToken!)['cognito:groups'], ['admins']);
      assert.ok(await srpSignIn(cognito, source, 'sam'));
      assert.ok(await totpSignIn(cognito, source, 'tom'));
      assert.ok(await deviceSignIn(cognito, source, 'dee'));
      for (const clientSecret of [source.clientSecret, source.secondSecret]) {
        const secretHash = createHmac('sha256', clientSecret).update(`pat${source.secretClientId}`).digest('base64');
        const withSecret = await cognito.send(
          new InitiateAuthCommand({ ClientId: source.secretClientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'pat', PASSWORD, SECRET_HASH: secretHash } }),
        );
        assert.ok(withSecret.AuthenticationResult?.AccessToken);
      }
      const secrets = await cognito.send(new ListUserPoolClientSecretsCommand({ UserPoolId: source.poolId, ClientId: source.secretClientId }));
      assert.equal(secrets.ClientSecrets!.length, 2);
      const wrong = await errorOf(passwordSignIn(cognito, source.clientId, 'pat', 'Not-the-password-1'));
      assert.equal(wrong.name, 'NotAuthorizedException');
      const pat2 = await cognito.send(new AdminGetUserCommand({ UserPoolId: source.poolId, Username: 'pat' }));
      assert.equal(pat2.UserAttributes!.find((a) => a.Name === 'email')?.Value, 'pat@example.com');
      const byEmail = await cognito.send(new ListUsersCommand({ UserPoolId: source.poolId, Filter: 'email = "pat@example.com"' }));
      assert.deepEqual(byEmail.Users!.map((u) => u.Username), ['pat']);
    } finally {
      cognito.destroy();
      await stop(server);
    }
  });

  test('a pool that exists, a file cut short, or altered counts are refused before anything is written', async () => {
    const again = await run(['import', file, '--db', to.database], targetKey);
    assert.equal(again.code, 1);
    assert.match(again.stderr, new RegExp(`pool ${source.poolId} exists here already`));

    const fresh = await databaseFor('sqlite');
    try {
      const text = await readFile(file, 'utf8');
      const cut = join(fresh.database, '..', 'cut.jsonl');
      await writeFile(cut, text.split('\n').slice(0, -2).join('\n'));
      const refused = await run(['import', cut, '--db', fresh.database]);
      assert.equal(refused.code, 1);
      assert.match(refused.stderr, /cut short: it has no end line/);
      const altered = join(fresh.database, '..', 'altered.jsonl');
      await writeFile(altered, text.replace('"users":4', '"users":5'));
      const miscounted = await run(['import', altered, '--db', fresh.database]);
      assert.equal(miscounted.code, 1);
      assert.match(miscounted.stderr, /counts 5 users, the section has 4/);
      const server = await serve(['--port', '0', '--db', fresh.database, '--workers', '1']);
      const cognito = cognitoClient(server.url);
      try {
        const missing = await errorOf(cognito.send(new DescribeUserPoolCommand({ UserPoolId: source.poolId })));
        assert.equal(missing.name, 'ResourceNotFoundException', 'nothing was written');
      } finally {
        cognito.destroy();
        await stop(server);
      }
    } finally {
      await fresh.cleanup();
    }
  });
});

describe('gatehouse import of another system\'s password hashes', () => {
  test('bcrypt, scrypt, PBKDF2 and argon2i users sign in with their passwords; the first sign-in stores argon2id and an SRP verifier', async () => {
    const db = await databaseFor('sqlite');
    try {
      const poolId = 'eu-west-1_Moved1';
      const clientId = 'movedclient1';
      const now = Date.now();
      const signingKeys = (['id', 'access'] as const).map((purpose) => {
        const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
        const kid = `${purpose}-key`;
        const { n, e } = publicKey.export({ format: 'jwk' });
        return { kid, poolId, purpose, privateKeyPem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(), publicJwk: { alg: 'RS256', kid, kty: 'RSA', use: 'sig', n, e }, createdAt: now };
      });
      const hashes: Record<string, string> = {
        bea: '$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW', // "U*U"
        sid: '$scrypt$ln=10,r=8,p=1$c2FsdHNhbHRzYWx0MTIzNA$hffZTRy+mmnMX7y6xfeji7KE/qDnjGUmGkdmIBlNbzU',
        pia: '$pbkdf2-sha256$1000$c2FsdHNhbHRzYWx0MTIzNA$a7YGvQqi0TmIDXes3me3/fkwG254.I5TnBv8IKgaCYQ',
        ari: await argon2Hash('Correct-horse-1', { algorithm: Algorithm.Argon2i, memoryCost: 4096, timeCost: 2 }),
      };
      const lines = [
        { type: 'pool', format: 'gatehouse-pool', version: 1, pool: { id: poolId, name: 'from elsewhere', config: {}, tags: {}, createdAt: now, updatedAt: now }, signingKeys },
        { type: 'client', client: { clientId, poolId, name: 'app', secret: null, config: { ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] }, createdAt: now, updatedAt: now } },
        ...Object.entries(hashes).map(([username, passwordHash]) => ({
          type: 'user',
          user: {
            poolId, sub: randomUUID(), username, usernameKey: username, status: 'CONFIRMED', enabled: true, passwordHash, passwordExpiresAt: null, srpVerifier: null,
            attributes: { email: `${username}@example.com` }, settings: {}, createdAt: now, updatedAt: now,
          },
          groups: [],
          devices: [],
        })),
        { type: 'end', poolId, counts: { clients: 1, documents: 0, groups: 0, users: 4, devices: 0 } },
      ];
      const file = join(db.database, '..', 'elsewhere.jsonl');
      await writeFile(file, lines.map((line) => JSON.stringify(line)).join('\n') + '\n');
      const imported = await run(['import', file, '--db', db.database]);
      assert.equal(imported.code, 0, imported.stderr);

      const server = await serve(['--port', '0', '--db', db.database, '--workers', '1']);
      const cognito = cognitoClient(server.url);
      try {
        const source = { poolId, clientId } as Source;
        assert.equal((await errorOf(srpSignIn(cognito, source, 'sid'))).name, 'NotAuthorizedException', 'no SRP verifier until a password sign-in');
        for (const [username, password] of [['bea', 'U*U'], ['sid', 'Correct-horse-1'], ['pia', 'Correct-horse-1'], ['ari', 'Correct-horse-1']]) {
          assert.equal((await errorOf(passwordSignIn(cognito, clientId, username!, 'Wrong-horse-1'))).name, 'NotAuthorizedException', username);
          assert.ok((await passwordSignIn(cognito, clientId, username!, password)).AccessToken, username);
          assert.ok((await passwordSignIn(cognito, clientId, username!, password)).AccessToken, `${username} again, on the new hash`);
        }
        assert.ok(await srpSignIn(cognito, source, 'sid', 'Correct-horse-1'), 'SRP once a password sign-in made the verifier');
      } finally {
        cognito.destroy();
        await stop(server);
      }
      const exported = await run(['export', '--pool', poolId, '--db', db.database]);
      const users = exported.stdout.trim().split('\n').map((line) => JSON.parse(line)).filter((line) => line.type === 'user');
      for (const { user } of users) {
        assert.match(user.passwordHash, /^\$argon2id\$/, `${user.username} now has an argon2id hash`);
        assert.notEqual(user.srpVerifier, null);
      }
    } finally {
      await db.cleanup();
    }
  });
});

describe('gatehouse import --from-cognito-local', () => {
  test('cognito-local\'s pools, app clients, groups and users arrive with their ids, subs and states; plain-text passwords become hashes', async () => {
    const db = await databaseFor('sqlite');
    const dir = join(db.database, '..', '.cognito', 'db');
    await mkdir(dir, { recursive: true });
    const iso = '2024-03-01T10:00:00.000Z';
    const user = (Username: string, sub: string, extra: Record<string, unknown> = {}, attributes: Record<string, string> = {}) => ({
      Username, Password: 'Local-password-1', UserStatus: 'CONFIRMED', Enabled: true, UserCreateDate: iso, UserLastModifiedDate: iso, RefreshTokens: [],
      Attributes: Object.entries({ sub, email: `${Username}@example.com`, email_verified: 'true', ...attributes }).map(([Name, Value]) => ({ Name, Value })),
      ...extra,
    });
    const subs = { alice: randomUUID(), bob: randomUUID(), carl: randomUUID(), erin: randomUUID() };
    await writeFile(join(dir, 'local_Teams123.json'), JSON.stringify({
      Options: {
        Id: 'local_Teams123', Name: 'teams', AutoVerifiedAttributes: ['email'], MfaConfiguration: 'OFF', CreationDate: iso, LastModifiedDate: iso,
        SchemaAttributes: [{ Name: 'email', AttributeDataType: 'String', Mutable: true, Required: false }, { Name: 'custom:tier', AttributeDataType: 'String', Mutable: true }],
      },
      Users: {
        alice: user('alice', subs.alice, {}, { 'custom:tier': 'gold' }),
        bob: user('bob', subs.bob, { UserStatus: 'UNCONFIRMED' }),
        carl: user('carl', subs.carl, { Enabled: false }),
      },
      Groups: { admins: { GroupName: 'admins', Description: 'Admins', Precedence: 1, members: ['alice'], CreationDate: iso, LastModifiedDate: iso } },
    }, null, 2));
    await writeFile(join(dir, 'local_Emails12.json'), JSON.stringify({
      Options: { Id: 'local_Emails12', Name: 'emails', UsernameAttributes: ['email'], CreationDate: iso, LastModifiedDate: iso },
      Users: { [subs.erin]: user(subs.erin, subs.erin, {}, { email: 'erin@example.com' }) },
    }));
    const flows = ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'];
    await writeFile(join(dir, 'clients.json'), JSON.stringify({
      Clients: {
        teamsapp1: { ClientId: 'teamsapp1', ClientName: 'teams-web', UserPoolId: 'local_Teams123', ExplicitAuthFlows: flows, CreationDate: iso, LastModifiedDate: iso },
        emailsapp1: { ClientId: 'emailsapp1', ClientName: 'emails-web', UserPoolId: 'local_Emails12', ExplicitAuthFlows: flows, CreationDate: iso, LastModifiedDate: iso },
      },
    }));
    try {
      const imported = await run(['import', '--from-cognito-local', dir, '--db', db.database]);
      assert.equal(imported.code, 0, imported.stderr);
      assert.match(imported.stderr, /imported pool local_Teams123 from cognito-local: 3 users, 1 groups, 1 app clients/);
      const again = await run(['import', '--from-cognito-local', dir, '--db', db.database]);
      assert.equal(again.code, 1);
      assert.match(again.stderr, /exists here already/);

      const server = await serve(['--port', '0', '--db', db.database, '--workers', '1']);
      const cognito = cognitoClient(server.url);
      try {
        const alice = await passwordSignIn(cognito, 'teamsapp1', 'alice', 'Local-password-1');
        const claims = decode(alice.IdToken!);
        assert.equal(claims.sub, subs.alice, 'the sub apps keyed their data by');
        assert.deepEqual(claims['cognito:groups'], ['admins']);
        assert.equal(claims['custom:tier'], 'gold');
        assert.equal((await errorOf(passwordSignIn(cognito, 'teamsapp1', 'bob', 'Local-password-1'))).name, 'UserNotConfirmedException');
        assert.deepEqual(await errorOf(passwordSignIn(cognito, 'teamsapp1', 'carl', 'Local-password-1')), { name: 'NotAuthorizedException', message: 'User is disabled.', status: 400 });
        const erin = await passwordSignIn(cognito, 'emailsapp1', 'erin@example.com', 'Local-password-1');
        assert.equal(decode(erin.AccessToken!).username, subs.erin, 'with email as username, the username is still the sub');
        const { UserCreateDate } = await cognito.send(new AdminGetUserCommand({ UserPoolId: 'local_Teams123', Username: 'alice' }));
        assert.equal(UserCreateDate!.toISOString(), iso);
      } finally {
        cognito.destroy();
        await stop(server);
      }
      const exported = await run(['export', '--pool', 'local_Teams123', '--db', db.database]);
      assert.ok(!exported.stdout.includes('Local-password-1'), 'no plain-text password is stored');
    } finally {
      await db.cleanup();
    }
  });
});

/** A pool with one user of each kind, made through the API as an application would. */
async function populate(cognito: CognitoIdentityProviderClient): Promise<Source> {
  const { UserPool } = await cognito.send(
    new CreateUserPoolCommand({
      PoolName: 'moving',
      AliasAttributes: ['email'],
      DeviceConfiguration: { ChallengeRequiredOnNewDevice: false, DeviceOnlyRememberedOnUserPrompt: false },
    }),
  );
  const poolId = UserPool!.Id!;
  await cognito.send(new SetUserPoolMfaConfigCommand({ UserPoolId: poolId, MfaConfiguration: 'OPTIONAL', SoftwareTokenMfaConfiguration: { Enabled: true } }));
  const flows = ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] as const;
  const { UserPoolClient: client } = await cognito.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'web', ExplicitAuthFlows: [...flows] }));
  const { UserPoolClient: secret } = await cognito.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'server', GenerateSecret: true, ExplicitAuthFlows: [...flows] }));
  const { ClientSecretDescriptor } = await cognito.send(new AddUserPoolClientSecretCommand({ UserPoolId: poolId, ClientId: secret!.ClientId! }));
  await cognito.send(new CreateResourceServerCommand({ UserPoolId: poolId, Identifier: 'https://api.example.com', Name: 'api', Scopes: [{ ScopeName: 'read', ScopeDescription: 'Read' }] }));
  await cognito.send(new CreateGroupCommand({ UserPoolId: poolId, GroupName: 'admins', Precedence: 1 }));
  for (const name of ['pat', 'sam', 'tom', 'dee']) {
    await cognito.send(
      new AdminCreateUserCommand({ UserPoolId: poolId, Username: name, MessageAction: 'SUPPRESS', UserAttributes: [{ Name: 'email', Value: `${name}@example.com` }, { Name: 'email_verified', Value: 'true' }] }),
    );
    await cognito.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: name, Password: PASSWORD, Permanent: true }));
  }
  await cognito.send(new AdminAddUserToGroupCommand({ UserPoolId: poolId, Username: 'pat', GroupName: 'admins' }));

  const tom = await passwordSignIn(cognito, client!.ClientId!, 'tom');
  const { SecretCode } = await cognito.send(new AssociateSoftwareTokenCommand({ AccessToken: tom.AccessToken }));
  await cognito.send(new VerifySoftwareTokenCommand({ AccessToken: tom.AccessToken, UserCode: authenticator.clone({ epoch: Date.now() - 30_000 }).generate(SecretCode!) }));
  await cognito.send(new SetUserMFAPreferenceCommand({ AccessToken: tom.AccessToken, SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true } }));

  const dee = await passwordSignIn(cognito, client!.ClientId!, 'dee');
  const { DeviceKey, DeviceGroupKey } = dee.NewDeviceMetadata!;
  const device = deviceVerifier(DeviceGroupKey!, DeviceKey!);
  await cognito.send(new ConfirmDeviceCommand({ AccessToken: dee.AccessToken, DeviceKey, DeviceSecretVerifierConfig: device.config, DeviceName: 'laptop' }));
  return {
    poolId,
    clientId: client!.ClientId!,
    secretClientId: secret!.ClientId!,
    clientSecret: secret!.ClientSecret!,
    secondSecret: ClientSecretDescriptor!.ClientSecretValue!,
    totpSecret: SecretCode!,
    device: { key: DeviceKey!, groupKey: DeviceGroupKey!, password: device.password },
  };
}

async function passwordSignIn(cognito: CognitoIdentityProviderClient, ClientId: string, USERNAME: string, password = PASSWORD): Promise<AuthenticationResultType> {
  const answer = await cognito.send(new InitiateAuthCommand({ ClientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME, PASSWORD: password } }));
  assert.ok(answer.AuthenticationResult, `signed in as ${USERNAME} without a challenge (got ${answer.ChallengeName})`);
  return answer.AuthenticationResult;
}

async function srpSignIn(cognito: CognitoIdentityProviderClient, source: Source, USERNAME: string, password = PASSWORD): Promise<string | undefined> {
  const srp = new SrpClient();
  const started = await cognito.send(new InitiateAuthCommand({ ClientId: source.clientId, AuthFlow: 'USER_SRP_AUTH', AuthParameters: { USERNAME, SRP_A: srp.srpA } }));
  const params = started.ChallengeParameters as Record<string, string> & SrpChallenge;
  const done = await cognito.send(
    new RespondToAuthChallengeCommand({
      ClientId: source.clientId,
      ChallengeName: 'PASSWORD_VERIFIER',
      ChallengeResponses: { USERNAME: params.USER_ID_FOR_SRP!, ...srp.claim(poolNameOf(source.poolId), params.USER_ID_FOR_SRP!, password, params, srpTimestamp(Date.now())) },
    }),
  );
  return done.AuthenticationResult?.AccessToken;
}

async function totpSignIn(cognito: CognitoIdentityProviderClient, source: Source, USERNAME: string): Promise<string | undefined> {
  const challenge = await cognito.send(new InitiateAuthCommand({ ClientId: source.clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME, PASSWORD } }));
  assert.equal(challenge.ChallengeName, 'SOFTWARE_TOKEN_MFA');
  const done = await cognito.send(
    new RespondToAuthChallengeCommand({
      ClientId: source.clientId,
      ChallengeName: 'SOFTWARE_TOKEN_MFA',
      Session: challenge.Session,
      ChallengeResponses: { USERNAME, SOFTWARE_TOKEN_MFA_CODE: authenticator.clone({ epoch: Date.now() }).generate(source.totpSecret) },
    }),
  );
  return done.AuthenticationResult?.AccessToken;
}

async function deviceSignIn(cognito: CognitoIdentityProviderClient, source: Source, USERNAME: string): Promise<string | undefined> {
  const { key, groupKey, password } = source.device;
  const first = await cognito.send(new InitiateAuthCommand({ ClientId: source.clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME, PASSWORD, DEVICE_KEY: key } }));
  assert.equal(first.ChallengeName, 'DEVICE_SRP_AUTH', 'the target knows the device');
  const srp = new SrpClient();
  const verifier = await cognito.send(
    new RespondToAuthChallengeCommand({ ClientId: source.clientId, ChallengeName: 'DEVICE_SRP_AUTH', Session: first.Session, ChallengeResponses: { USERNAME, DEVICE_KEY: key, SRP_A: srp.srpA } }),
  );
  const params = verifier.ChallengeParameters as Record<string, string> & SrpChallenge;
  const done = await cognito.send(
    new RespondToAuthChallengeCommand({
      ClientId: source.clientId,
      ChallengeName: 'DEVICE_PASSWORD_VERIFIER',
      Session: verifier.Session,
      ChallengeResponses: { USERNAME, DEVICE_KEY: key, ...srp.claim(groupKey, key, password, params, srpTimestamp(Date.now())) },
    }),
  );
  return done.AuthenticationResult?.AccessToken;
}

/** The documented use: `gatehouse import < pool.jsonl`. */
function pipeInto(args: string[], file: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    readFile(file).then((input) => {
      const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, ...env }, stdio: ['pipe', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (chunk) => (stderr += chunk));
      child.once('exit', (code) => resolve({ code, stderr }));
      child.stdin.end(input);
    }, reject);
  });
}
