// Secrets at rest: the database holds signing keys and client secrets only sealed with the server key,
// codes only as digests keyed with it, and everything still works.
import assert from 'node:assert/strict';
import { createHash, createHmac, createPublicKey, randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import {
  AddUserPoolClientSecretCommand,
  AdminInitiateAuthCommand,
  AdminUpdateUserAttributesCommand,
  ConfirmForgotPasswordCommand,
  CreateUserPoolClientCommand,
  DescribeUserPoolClientCommand,
  ForgotPasswordCommand,
  GetUserCommand,
  ListUserPoolClientSecretsCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import BetterSqlite3 from 'better-sqlite3';
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from 'jose';
import { SecretBox } from '../src/domain/keys/secret-box.js';
import { openPrivateKey } from '../src/domain/keys/signing-keys.js';
import { backends, databaseFor, startTestGatehouse, type TestGatehouse } from './support/gatehouse.js';
import { adminSignIn, poolWithUser } from './support/sign-in.js';
import { withGatehouseAndMailbox, type Mailbox } from './support/webhook.js';

/** Tokens of a fresh sign-in verify against the pool's JWKS, and the API accepts the access token. */
async function assertTokensWork(gh: TestGatehouse, target: Awaited<ReturnType<typeof poolWithUser>>): Promise<void> {
  const tokens = await adminSignIn(gh.cognito, target);
  const jwks = createLocalJWKSet((await (await fetch(`${gh.url}/${target.poolId}/.well-known/jwks.json`)).json()) as JSONWebKeySet);
  const { payload } = await jwtVerify(tokens.IdToken!, jwks, { issuer: `${gh.url}/${target.poolId}` });
  assert.equal(payload['cognito:username'], target.username);
  const me = await gh.cognito.send(new GetUserCommand({ AccessToken: tokens.AccessToken }));
  assert.equal(me.Username, target.username);
}

for (const backend of backends()) {
  describe(`secrets at rest (${backend})`, () => {
    let gh: TestGatehouse;
    before(async () => {
      gh = await startTestGatehouse(backend);
    });
    after(() => gh.stop());

    test('signing keys reach the database sealed, and tokens still sign and verify', async () => {
      const target = await poolWithUser(gh.cognito);
      const records = await gh.server.storage.signingKeys.listForPool(target.poolId);
      assert.equal(records.length, 2);
      for (const record of records) {
        const stored = record.privateKeyPem;
        assert.ok(SecretBox.isSealed(stored), `sealed: ${stored.slice(0, 20)}…`);
        assert.doesNotMatch(stored, /BEGIN|PRIVATE KEY/);
        const key = openPrivateKey(record, gh.server.services.secretBox);
        assert.equal(createPublicKey(key).export({ format: 'jwk' }).n, record.publicJwk.n, 'opens to the published key');
        const pemLines = key.export({ format: 'pem', type: 'pkcs8' }).toString().split('\n').filter((line) => line.length === 64);
        assert.ok(pemLines.length > 10 && pemLines.every((line) => !stored.includes(line)), 'no piece of the key in the clear');
      }
      await assertTokensWork(gh, target);
    });
  });
}

describe('secrets stored in the clear by an older Gatehouse', () => {
  test('plain PEM signing keys and a plain client secret are sealed at the next start, and keep working', async () => {
    const { database, cleanup } = await databaseFor('sqlite');
    let gh = await startTestGatehouse('sqlite', { database });
    try {
      const target = await poolWithUser(gh.cognito);
      const { UserPoolClient } = await gh.cognito.send(
        new CreateUserPoolClientCommand({ UserPoolId: target.poolId, ClientName: 'secret', GenerateSecret: true, ExplicitAuthFlows: ['ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] }),
      );
      const secret = UserPoolClient!.ClientSecret!;
      const records = await gh.server.storage.signingKeys.listForPool(target.poolId);
      const pems = records.map((record) => openPrivateKey(record, gh.server.services.secretBox).export({ format: 'pem', type: 'pkcs8' }).toString());
      await gh.stop();

      // What an older Gatehouse wrote: private keys as plain PKCS#8 PEM, the client secret as it is.
      const db = new BetterSqlite3(database);
      records.forEach((record, i) => db.prepare('UPDATE signing_keys SET private_key = ? WHERE kid = ?').run(pems[i], record.kid));
      db.prepare('UPDATE user_pool_clients SET secret = ? WHERE client_id = ?').run(secret, UserPoolClient!.ClientId);
      db.close();

      gh = await startTestGatehouse('sqlite', { database });
      const stored = new BetterSqlite3(database, { readonly: true });
      const keyRows = stored.prepare('SELECT private_key FROM signing_keys').all() as { private_key: string }[];
      const clientRow = stored.prepare('SELECT secret FROM user_pool_clients WHERE client_id = ?').get(UserPoolClient!.ClientId) as { secret: string };
      stored.close();
      assert.ok(keyRows.length === 2 && keyRows.every((row) => SecretBox.isSealed(row.private_key)), 'keys sealed');
      assert.ok(SecretBox.isSealed(clientRow.secret) && !clientRow.secret.includes(secret), 'client secret sealed');

      await assertTokensWork(gh, target);
      const described = await gh.cognito.send(new DescribeUserPoolClientCommand({ UserPoolId: target.poolId, ClientId: UserPoolClient!.ClientId }));
      assert.equal(described.UserPoolClient!.ClientSecret, secret, 'DescribeUserPoolClient still returns the secret');
      const secretHash = createHmac('sha256', secret).update(target.username + UserPoolClient!.ClientId).digest('base64');
      const signedIn = await gh.cognito.send(
        new AdminInitiateAuthCommand({
          UserPoolId: target.poolId,
          ClientId: UserPoolClient!.ClientId,
          AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
          AuthParameters: { USERNAME: target.username, PASSWORD: target.password, SECRET_HASH: secretHash },
        }),
      );
      assert.ok(signedIn.AuthenticationResult?.AccessToken, 'SECRET_HASH checks against the sealed secret');

      // A secret from before rotation is the client's one secret, and a second joins it.
      const listed = await gh.cognito.send(new ListUserPoolClientSecretsCommand({ UserPoolId: target.poolId, ClientId: UserPoolClient!.ClientId }));
      assert.equal(listed.ClientSecrets!.length, 1);
      assert.match(listed.ClientSecrets![0]!.ClientSecretId!, new RegExp(`^${UserPoolClient!.ClientId}--\\d+$`));
      assert.deepEqual(listed.ClientSecrets![0]!.ClientSecretCreateDate, UserPoolClient!.CreationDate);
      await gh.cognito.send(new AddUserPoolClientSecretCommand({ UserPoolId: target.poolId, ClientId: UserPoolClient!.ClientId }));
      const described2 = await gh.cognito.send(new DescribeUserPoolClientCommand({ UserPoolId: target.poolId, ClientId: UserPoolClient!.ClientId }));
      assert.equal(described2.UserPoolClient!.ClientSecret, secret, 'Describe keeps showing the oldest secret');
    } finally {
      await gh.stop();
      await cleanup();
    }
  });
});

for (const backend of backends()) {
  describe(`client secrets and codes at rest (${backend})`, () => {
    let gh: TestGatehouse;
    let mailbox: Mailbox;
    withGatehouseAndMailbox(backend, (gatehouse, box) => ((gh = gatehouse), (mailbox = box)));

    test('a new client secret reaches the database only sealed; Describe returns it', async () => {
      const target = await poolWithUser(gh.cognito);
      const { UserPoolClient } = await gh.cognito.send(new CreateUserPoolClientCommand({ UserPoolId: target.poolId, ClientName: 'secret', GenerateSecret: true }));
      const record = await gh.server.storage.clients.get(target.poolId, UserPoolClient!.ClientId!);
      assert.ok(SecretBox.isSealed(record!.secret!) && !record!.secret!.includes(UserPoolClient!.ClientSecret!));
      const described = await gh.cognito.send(new DescribeUserPoolClientCommand({ UserPoolId: target.poolId, ClientId: UserPoolClient!.ClientId }));
      assert.equal(described.UserPoolClient!.ClientSecret, UserPoolClient!.ClientSecret);
    });

    test('a reset code is stored as a digest keyed with the server key: the database alone cannot tell which of the million codes it is', async () => {
      const target = await poolWithUser(gh.cognito);
      const email = `codes-${target.poolId.slice(-6).toLowerCase()}@example.com`;
      await gh.cognito.send(new AdminUpdateUserAttributesCommand({ UserPoolId: target.poolId, Username: target.username, UserAttributes: [{ Name: 'email', Value: email }, { Name: 'email_verified', Value: 'true' }] }));
      const client = await gh.cognito.send(new CreateUserPoolClientCommand({ UserPoolId: target.poolId, ClientName: 'public' }));
      await gh.cognito.send(new ForgotPasswordCommand({ ClientId: client.UserPoolClient!.ClientId, Username: target.username }));
      const { code, sub } = await mailbox.next(email);
      const stored = (await gh.server.storage.verificationCodes.get(target.poolId, sub, 'forgot_password'))!;
      // Every unkeyed SHA-256 an attacker would try over the code and what the row says of it.
      const candidates = [code, `${target.poolId}\0${sub}\0forgot_password\0${code}`, `${sub}${code}`, `${target.poolId}${sub}forgot_password${code}`];
      for (const candidate of candidates) assert.notEqual(stored.codeHash, createHash('sha256').update(candidate).digest('base64'));
      const otherKey = new SecretBox(randomBytes(32));
      assert.notEqual(stored.codeHash, otherKey.digest(`verification-code:${target.poolId}\0${sub}\0forgot_password\0${code}`).toString('base64'));
      assert.equal(stored.codeHash, gh.server.services.secretBox.digest(`verification-code:${target.poolId}\0${sub}\0forgot_password\0${code}`).toString('base64'), 'keyed with this server key');
      await gh.cognito.send(new ConfirmForgotPasswordCommand({ ClientId: client.UserPoolClient!.ClientId, Username: target.username, ConfirmationCode: code, Password: 'Reset-pass1' }));
    });
  });
}
