// Client secret rotation (issue 24, point 5): a confidential client holds up to two secrets, each
// accepted for SECRET_HASH and for client authentication at /oauth2/token until it is deleted.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import {
  AddUserPoolClientSecretCommand,
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CreateResourceServerCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DeleteUserPoolClientSecretCommand,
  DescribeUserPoolClientCommand,
  GetClientTokenCommand,
  InitiateAuthCommand,
  ListUserPoolClientSecretsCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { errorOf } from './support/errors.js';
import { backends, startTestGatehouse, type TestGatehouse } from './support/gatehouse.js';

const PASSWORD = 'Password1!';
const SCOPE = 'https://orders.example.com/read';

for (const backend of backends()) {
  describe(`client secret rotation (${backend})`, () => {
    let gh: TestGatehouse;
    let poolId: string;
    let counter = 0;

    before(async () => {
      gh = await startTestGatehouse(backend);
      poolId = (await gh.cognito.send(new CreateUserPoolCommand({ PoolName: 'rotation' }))).UserPool!.Id!;
      await gh.cognito.send(new CreateResourceServerCommand({ UserPoolId: poolId, Identifier: 'https://orders.example.com', Name: 'Orders', Scopes: [{ ScopeName: 'read', ScopeDescription: 'Read' }] }));
      await gh.cognito.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'ann', MessageAction: 'SUPPRESS' }));
      await gh.cognito.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: 'ann', Password: PASSWORD, Permanent: true }));
    });
    after(() => gh.stop());

    /** A server-side client that signs users in with SECRET_HASH and gets M2M tokens at /oauth2/token. */
    const confidentialClient = async (generate = true) => {
      const { UserPoolClient } = await gh.cognito.send(
        new CreateUserPoolClientCommand({
          UserPoolId: poolId,
          ClientName: `server-${++counter}`,
          GenerateSecret: generate,
          ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
          ...(generate && { AllowedOAuthFlowsUserPoolClient: true, AllowedOAuthFlows: ['client_credentials'], AllowedOAuthScopes: [SCOPE] }),
        }),
      );
      return UserPoolClient!;
    };

    const signIn = (clientId: string, secret: string) =>
      gh.cognito.send(
        new InitiateAuthCommand({
          ClientId: clientId,
          AuthFlow: 'USER_PASSWORD_AUTH',
          AuthParameters: { USERNAME: 'ann', PASSWORD, SECRET_HASH: createHmac('sha256', secret).update(`ann${clientId}`).digest('base64') },
        }),
      );

    const tokenEndpoint = (clientId: string, secret: string, how: 'basic' | 'post') =>
      fetch(`${gh.url}/oauth2/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...(how === 'basic' && { authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}` }) },
        body: new URLSearchParams({ grant_type: 'client_credentials', scope: SCOPE, ...(how === 'post' && { client_id: clientId, client_secret: secret }) }),
      });

    test('a second secret works beside the first for SECRET_HASH, /oauth2/token and GetClientToken; a deleted one stops at once', async () => {
      const client = await confidentialClient();
      const first = client.ClientSecret!;
      const { ClientSecretDescriptor: added } = await gh.cognito.send(new AddUserPoolClientSecretCommand({ UserPoolId: poolId, ClientId: client.ClientId }));
      const second = added!.ClientSecretValue!;
      assert.match(second, /^[0-9a-v]{52}$/);
      assert.notEqual(second, first);
      assert.match(added!.ClientSecretId!, new RegExp(`^${client.ClientId}--\\d+$`));
      assert.ok(added!.ClientSecretCreateDate instanceof Date);

      for (const secret of [first, second]) {
        assert.ok((await signIn(client.ClientId!, secret)).AuthenticationResult?.AccessToken);
        for (const how of ['basic', 'post'] as const) assert.equal((await tokenEndpoint(client.ClientId!, secret, how)).status, 200, `${how} with either secret`);
        const { ClientAuthenticationResult } = await gh.cognito.send(new GetClientTokenCommand({ ClientId: client.ClientId, Secret: secret, Scopes: [SCOPE] }));
        assert.ok(ClientAuthenticationResult?.AccessToken);
      }
      const hashOf = (secret: string, name: string) => createHmac('sha256', secret).update(`${name}${client.ClientId}`).digest('base64');
      await gh.cognito.send(new SignUpCommand({ ClientId: client.ClientId, Username: 'newcomer', Password: PASSWORD, SecretHash: hashOf(second, 'newcomer') }));

      const { ClientSecrets } = await gh.cognito.send(new ListUserPoolClientSecretsCommand({ UserPoolId: poolId, ClientId: client.ClientId }));
      const original = ClientSecrets!.find((secret) => secret.ClientSecretId !== added!.ClientSecretId)!;
      await gh.cognito.send(new DeleteUserPoolClientSecretCommand({ UserPoolId: poolId, ClientId: client.ClientId, ClientSecretId: original.ClientSecretId }));

      const refused = await errorOf(signIn(client.ClientId!, first));
      assert.deepEqual([refused.name, refused.message], ['NotAuthorizedException', `Unable to verify secret hash for client ${client.ClientId}`]);
      const stale = await tokenEndpoint(client.ClientId!, first, 'basic');
      assert.deepEqual([stale.status, ((await stale.json()) as { error: string }).error], [401, 'invalid_client']);
      assert.equal((await errorOf(gh.cognito.send(new GetClientTokenCommand({ ClientId: client.ClientId, Secret: first, Scopes: [SCOPE] })))).name, 'NotAuthorizedException');
      assert.ok((await signIn(client.ClientId!, second)).AuthenticationResult?.AccessToken);
      assert.equal((await tokenEndpoint(client.ClientId!, second, 'post')).status, 200);
      const { UserPoolClient } = await gh.cognito.send(new DescribeUserPoolClientCommand({ UserPoolId: poolId, ClientId: client.ClientId }));
      assert.equal(UserPoolClient!.ClientSecret, second, 'Describe shows the secret that is left');
    });

    test('the list never shows values; a third secret and deleting the last are refused', async () => {
      const client = await confidentialClient();
      const custom = 'my_own_secret_value_1234567890';
      const { ClientSecretDescriptor: added } = await gh.cognito.send(new AddUserPoolClientSecretCommand({ UserPoolId: poolId, ClientId: client.ClientId, ClientSecret: custom }));
      assert.equal(added!.ClientSecretValue, undefined, 'a value the caller chose is not sent back');
      assert.ok((await signIn(client.ClientId!, custom)).AuthenticationResult);

      const { ClientSecrets } = await gh.cognito.send(new ListUserPoolClientSecretsCommand({ UserPoolId: poolId, ClientId: client.ClientId }));
      assert.equal(ClientSecrets!.length, 2);
      assert.ok(ClientSecrets!.every((secret) => secret.ClientSecretValue === undefined && secret.ClientSecretId && secret.ClientSecretCreateDate instanceof Date));
      assert.equal(ClientSecrets![1]!.ClientSecretId, added!.ClientSecretId, 'oldest first');

      const third = await errorOf(gh.cognito.send(new AddUserPoolClientSecretCommand({ UserPoolId: poolId, ClientId: client.ClientId })));
      assert.equal(third.name, 'LimitExceededException');

      await gh.cognito.send(new DeleteUserPoolClientSecretCommand({ UserPoolId: poolId, ClientId: client.ClientId, ClientSecretId: ClientSecrets![0]!.ClientSecretId }));
      const last = await errorOf(gh.cognito.send(new DeleteUserPoolClientSecretCommand({ UserPoolId: poolId, ClientId: client.ClientId, ClientSecretId: added!.ClientSecretId })));
      assert.equal(last.name, 'InvalidParameterException');
      const unknown = await errorOf(gh.cognito.send(new DeleteUserPoolClientSecretCommand({ UserPoolId: poolId, ClientId: client.ClientId, ClientSecretId: `${client.ClientId}--1` })));
      assert.equal(unknown.name, 'ResourceNotFoundException');
      assert.ok((await signIn(client.ClientId!, custom)).AuthenticationResult, 'the last secret still works');
    });

    test('racing adds and deletes never leave more than two secrets or none', async () => {
      const client = await confidentialClient();
      const adds = await Promise.allSettled(Array.from({ length: 6 }, () => gh.cognito.send(new AddUserPoolClientSecretCommand({ UserPoolId: poolId, ClientId: client.ClientId }))));
      assert.equal(adds.filter((result) => result.status === 'fulfilled').length, 1, 'one add wins the second place');
      assert.ok(adds.every((result) => result.status === 'fulfilled' || (result.reason as Error).name === 'LimitExceededException'));
      const list = async () => (await gh.cognito.send(new ListUserPoolClientSecretsCommand({ UserPoolId: poolId, ClientId: client.ClientId }))).ClientSecrets!;
      const both = await list();
      assert.equal(both.length, 2);
      const deletes = await Promise.allSettled(both.map((secret) => gh.cognito.send(new DeleteUserPoolClientSecretCommand({ UserPoolId: poolId, ClientId: client.ClientId, ClientSecretId: secret.ClientSecretId }))));
      assert.equal(deletes.filter((result) => result.status === 'fulfilled').length, 1, 'the last secret stays');
      assert.equal((await list()).length, 1);
    });

    test('a public client gets no secret this way; CreateUserPoolClient takes a custom secret but not with GenerateSecret', async () => {
      const publicClient = await confidentialClient(false);
      const refused = await errorOf(gh.cognito.send(new AddUserPoolClientSecretCommand({ UserPoolId: poolId, ClientId: publicClient.ClientId })));
      assert.equal(refused.name, 'InvalidParameterException');
      const { ClientSecrets } = await gh.cognito.send(new ListUserPoolClientSecretsCommand({ UserPoolId: poolId, ClientId: publicClient.ClientId }));
      assert.deepEqual(ClientSecrets, []);

      const custom = 'chosen_by_the_operator_0123456789';
      const { UserPoolClient } = await gh.cognito.send(
        new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'custom', ClientSecret: custom, ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH'] }),
      );
      assert.equal(UserPoolClient!.ClientSecret, custom);
      assert.ok((await signIn(UserPoolClient!.ClientId!, custom)).AuthenticationResult);
      const both = await errorOf(gh.cognito.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'both', ClientSecret: custom, GenerateSecret: true })));
      assert.equal(both.name, 'InvalidParameterException');
      const missing = await errorOf(gh.cognito.send(new ListUserPoolClientSecretsCommand({ UserPoolId: poolId, ClientId: 'nosuchclient0000000000000' })));
      assert.equal(missing.name, 'ResourceNotFoundException');
    });
  });
}
