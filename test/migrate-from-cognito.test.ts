// Issue 22, point 3: the documented way off a live Cognito pool, the UserMigration trigger in
// examples/migrate-from-cognito, run as a module trigger. A second Gatehouse stands in for the old
// Cognito pool (it speaks the same API): a user signs in to the new pool with the password they had,
// is created there with their attributes, and signs in again without the old pool.
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminSetUserPasswordCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  InitiateAuthCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { errorOf } from './support/errors.js';
import { startTestGatehouse, type TestGatehouse } from './support/gatehouse.js';

const HANDLER = fileURLToPath(new URL('../../examples/migrate-from-cognito/handler.mjs', import.meta.url));
const FUNCTION = 'arn:aws:lambda:us-east-1:123456789012:function:MigrateFromCognito';

describe('UserMigration from a live Cognito pool (examples/migrate-from-cognito)', () => {
  let old: TestGatehouse;
  let fresh: TestGatehouse;
  let poolId: string;
  let clientId: string;
  before(async () => {
    old = await startTestGatehouse('sqlite');
    const oldPool = (await old.cognito.send(new CreateUserPoolCommand({ PoolName: 'cognito', AliasAttributes: ['email'] }))).UserPool!.Id!;
    const oldClient = (await old.cognito.send(new CreateUserPoolClientCommand({ UserPoolId: oldPool, ClientName: 'migration', ExplicitAuthFlows: ['ALLOW_ADMIN_USER_PASSWORD_AUTH'] }))).UserPoolClient!;
    await old.cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: oldPool,
        Username: 'olga',
        MessageAction: 'SUPPRESS',
        UserAttributes: [{ Name: 'email', Value: 'olga@example.com' }, { Name: 'email_verified', Value: 'true' }, { Name: 'given_name', Value: 'Olga' }],
      }),
    );
    await old.cognito.send(new AdminSetUserPasswordCommand({ UserPoolId: oldPool, Username: 'olga', Password: 'Olgas-password-1', Permanent: true }));
    // What the function reads, set before the new server starts its workers.
    Object.assign(process.env, { OLD_POOL_ID: oldPool, OLD_CLIENT_ID: oldClient.ClientId, OLD_POOL_ENDPOINT: old.url, AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'secret' });
    fresh = await startTestGatehouse('sqlite', { triggers: { [FUNCTION]: { module: HANDLER } } });
    poolId = (await fresh.cognito.send(new CreateUserPoolCommand({ PoolName: 'gatehouse', AliasAttributes: ['email'], LambdaConfig: { UserMigration: FUNCTION } }))).UserPool!.Id!;
    clientId = (await fresh.cognito.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'app', ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] })))
      .UserPoolClient!.ClientId!;
  });
  after(async () => {
    await fresh?.stop();
    await old?.stop();
  });

  const signIn = (USERNAME: string, PASSWORD: string) => fresh.cognito.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME, PASSWORD } }));

  test('a wrong password migrates nobody; the right one brings the user over with their attributes', async () => {
    assert.equal((await errorOf(signIn('olga', 'Not-her-password-1'))).name, 'UserNotFoundException');
    const { AuthenticationResult } = await signIn('olga', 'Olgas-password-1');
    assert.ok(AuthenticationResult?.AccessToken);
    const olga = await fresh.cognito.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'olga' }));
    assert.equal(olga.UserStatus, 'CONFIRMED');
    const attributes = Object.fromEntries(olga.UserAttributes!.map(({ Name, Value }) => [Name, Value]));
    assert.equal(attributes.email, 'olga@example.com');
    assert.equal(attributes.given_name, 'Olga');
    await old.stop(); // the old pool is gone: she signs in on what was migrated
    assert.ok((await signIn('olga@example.com', 'Olgas-password-1')).AuthenticationResult?.AccessToken);
  });
});
