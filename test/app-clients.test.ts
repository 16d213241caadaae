import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DeleteUserPoolClientCommand,
  DeleteUserPoolCommand,
  DescribeUserPoolClientCommand,
  ListUserPoolClientsCommand,
  UpdateUserPoolClientCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { backends, startTestGatehouse, type TestGatehouse } from './support/gatehouse.js';
import { errorOf } from './support/errors.js';

for (const backend of backends()) {
  describe(`app clients (${backend})`, () => {
    let gh: TestGatehouse;
    let poolId: string;
    before(async () => {
      gh = await startTestGatehouse(backend);
      const { UserPool } = await gh.cognito.send(new CreateUserPoolCommand({ PoolName: 'clients', Schema: [{ Name: 'plan', AttributeDataType: 'String' }] }));
      poolId = UserPool!.Id!;
    });
    after(() => gh.stop());

    test('CreateUserPoolClient with defaults; DescribeUserPoolClient returns the same client', async () => {
      const { UserPoolClient: client } = await gh.cognito.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'web' }));
      assert.ok(client);
      assert.match(client.ClientId!, /^[0-9a-v]{26}$/);
      assert.equal(client.ClientSecret, undefined);
      assert.equal(client.UserPoolId, poolId);
      assert.equal(client.ClientName, 'web');
      assert.equal(client.RefreshTokenValidity, 30);
      assert.equal(client.EnableTokenRevocation, true);
      assert.equal(client.AuthSessionValidity, 3);
      assert.equal(client.AllowedOAuthFlowsUserPoolClient, false);
      assert.ok(client.CreationDate instanceof Date);
      const { UserPoolClient: described } = await gh.cognito.send(
        new DescribeUserPoolClientCommand({ UserPoolId: poolId, ClientId: client.ClientId }),
      );
      assert.deepEqual(described, client);
    });

    test('GenerateSecret gives a secret that Describe returns; settings are stored', async () => {
      const { UserPoolClient: client } = await gh.cognito.send(
        new CreateUserPoolClientCommand({
          UserPoolId: poolId,
          ClientName: 'server',
          GenerateSecret: true,
          ExplicitAuthFlows: ['ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
          AccessTokenValidity: 30,
          IdTokenValidity: 2,
          RefreshTokenValidity: 7,
          TokenValidityUnits: { AccessToken: 'minutes', IdToken: 'hours', RefreshToken: 'days' },
          ReadAttributes: ['email', 'custom:plan'],
          WriteAttributes: ['email'],
          PreventUserExistenceErrors: 'ENABLED',
          EnableTokenRevocation: false,
          AuthSessionValidity: 10,
        }),
      );
      assert.match(client!.ClientSecret!, /^[0-9a-v]{52}$/);
      const { UserPoolClient: described } = await gh.cognito.send(
        new DescribeUserPoolClientCommand({ UserPoolId: poolId, ClientId: client!.ClientId }),
      );
      assert.equal(described!.ClientSecret, client!.ClientSecret);
      assert.deepEqual(described!.ExplicitAuthFlows, ['ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH']);
      assert.equal(described!.AccessTokenValidity, 30);
      assert.deepEqual(described!.TokenValidityUnits, { AccessToken: 'minutes', IdToken: 'hours', RefreshToken: 'days' });
      assert.deepEqual(described!.ReadAttributes, ['custom:plan', 'email'], 'Cognito returns attribute lists sorted');
      assert.equal(described!.PreventUserExistenceErrors, 'ENABLED');
      assert.equal(described!.EnableTokenRevocation, false);
      assert.equal(described!.AuthSessionValidity, 10);
    });

    test('token validity outside Cognito ranges and bad attributes are refused', async () => {
      const cases = [
        { AccessTokenValidity: 2, TokenValidityUnits: { AccessToken: 'minutes' as const } },
        { IdTokenValidity: 2, TokenValidityUnits: { IdToken: 'days' as const } },
        { RefreshTokenValidity: 30, TokenValidityUnits: { RefreshToken: 'minutes' as const } },
        { RefreshTokenValidity: 3651 },
        { ReadAttributes: ['custom:unknown'] },
        { WriteAttributes: ['email_verified'] },
        { AuthSessionValidity: 2 },
        { ExplicitAuthFlows: ['USER_PASSWORD_AUTH' as const, 'ALLOW_REFRESH_TOKEN_AUTH' as const] },
      ];
      for (const extra of cases) {
        const error = await errorOf(gh.cognito.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'bad', ...extra })));
        assert.equal(error.name, 'InvalidParameterException', JSON.stringify(extra));
      }
      const noPool = await errorOf(gh.cognito.send(new CreateUserPoolClientCommand({ UserPoolId: 'us-east-1_nothere00', ClientName: 'x' })));
      assert.equal(noPool.name, 'ResourceNotFoundException');
    });

    test('UpdateUserPoolClient replaces settings, keeps the secret', async () => {
      const { UserPoolClient: client } = await gh.cognito.send(
        new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'to-update', GenerateSecret: true, EnableTokenRevocation: false }),
      );
      const { UserPoolClient: updated } = await gh.cognito.send(
        new UpdateUserPoolClientCommand({ UserPoolId: poolId, ClientId: client!.ClientId, ClientName: 'renamed', RefreshTokenValidity: 10 }),
      );
      assert.equal(updated!.ClientName, 'renamed');
      assert.equal(updated!.RefreshTokenValidity, 10);
      assert.equal(updated!.EnableTokenRevocation, true, 'omitted settings return to their defaults');
      assert.equal(updated!.ClientSecret, client!.ClientSecret);
      const unknown = await errorOf(
        gh.cognito.send(new UpdateUserPoolClientCommand({ UserPoolId: poolId, ClientId: 'abcdefghijklmnopqrstuvwxyz' })),
      );
      assert.deepEqual(unknown, { name: 'ResourceNotFoundException', message: 'User pool client abcdefghijklmnopqrstuvwxyz does not exist.', status: 400 });
    });

    test('ListUserPoolClients pages; DeleteUserPoolClient removes; deleting the pool removes its clients', async () => {
      const { UserPool } = await gh.cognito.send(new CreateUserPoolCommand({ PoolName: 'listing' }));
      const listPool = UserPool!.Id!;
      const created: string[] = [];
      for (let i = 0; i < 5; i++) {
        const { UserPoolClient } = await gh.cognito.send(new CreateUserPoolClientCommand({ UserPoolId: listPool, ClientName: `c${i}` }));
        created.push(UserPoolClient!.ClientId!);
      }
      const seen: string[] = [];
      let token: string | undefined;
      do {
        const page = await gh.cognito.send(new ListUserPoolClientsCommand({ UserPoolId: listPool, MaxResults: 2, NextToken: token }));
        for (const c of page.UserPoolClients!) {
          assert.equal(c.UserPoolId, listPool);
          assert.ok(c.ClientName);
          seen.push(c.ClientId!);
        }
        token = page.NextToken;
      } while (token);
      assert.deepEqual([...seen].sort(), [...created].sort());

      await gh.cognito.send(new DeleteUserPoolClientCommand({ UserPoolId: listPool, ClientId: created[0] }));
      const gone = await errorOf(gh.cognito.send(new DescribeUserPoolClientCommand({ UserPoolId: listPool, ClientId: created[0] })));
      assert.equal(gone.name, 'ResourceNotFoundException');
      const wrongPool = await errorOf(gh.cognito.send(new DescribeUserPoolClientCommand({ UserPoolId: poolId, ClientId: created[1] })));
      assert.equal(wrongPool.name, 'ResourceNotFoundException', 'a client is only found in its own pool');

      await gh.cognito.send(new DeleteUserPoolCommand({ UserPoolId: listPool }));
      const afterPool = await errorOf(gh.cognito.send(new DescribeUserPoolClientCommand({ UserPoolId: listPool, ClientId: created[1] })));
      assert.equal(afterPool.name, 'ResourceNotFoundException');
    });
  });
}
