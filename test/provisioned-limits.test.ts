// GetProvisionedLimit and UpdateProvisionedLimit (issue 24, point 6): a rate set for a pool and a
// Cognito quota category is what that category's operations get in that pool, and no more.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  CreateResourceServerCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DescribeUserPoolCommand,
  GetProvisionedLimitCommand,
  GetUserPoolMfaConfigCommand,
  InitiateAuthCommand,
  ListUsersCommand,
  UpdateProvisionedLimitCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { errorOf } from './support/errors.js';
import { backends, databaseFor, startTestGatehouse, type TestGatehouse } from './support/gatehouse.js';

const THROTTLED = { name: 'TooManyRequestsException', message: 'Rate exceeded', status: 429 };
const definition = (Category: string, UserPoolId?: string) => ({ LimitClass: 'API_CATEGORY' as const, Attributes: { Category, ...(UserPoolId && { UserPoolId }) } });

for (const backend of backends()) {
  describe(`provisioned limits (${backend})`, () => {
    let gh: TestGatehouse;
    let database: { database: string; cleanup(): Promise<void> };
    let poolId: string;
    let otherPool: string;

    before(async () => {
      database = await databaseFor(backend);
      // The configured default for UserList; the clock stands still, so no budget refills unless a test moves it.
      gh = await startTestGatehouse(backend, { database: database.database, rateLimits: { perPoolPerOperation: 0, operations: {}, categories: { UserList: 100 } } });
      poolId = (await gh.cognito.send(new CreateUserPoolCommand({ PoolName: 'limited' }))).UserPool!.Id!;
      otherPool = (await gh.cognito.send(new CreateUserPoolCommand({ PoolName: 'other' }))).UserPool!.Id!;
    });
    after(async () => {
      await gh.stop();
      await database.cleanup();
    });

    test('a limit set for a pool and category is read back, and holds that category in that pool only', async () => {
      const before = await gh.cognito.send(new GetProvisionedLimitCommand({ LimitDefinition: definition('UserPoolRead', poolId) }));
      assert.deepEqual(before.Limit, { LimitDefinition: definition('UserPoolRead', poolId), ProvisionedLimitValue: 0, FreeLimitValue: 15 });
      const configured = await gh.cognito.send(new GetProvisionedLimitCommand({ LimitDefinition: definition('UserList') }));
      assert.deepEqual([configured.Limit!.ProvisionedLimitValue, configured.Limit!.FreeLimitValue], [100, 30], 'the operator’s default, and Cognito’s free rate');

      const updated = await gh.cognito.send(new UpdateProvisionedLimitCommand({ LimitDefinition: definition('UserPoolRead', poolId), RequestedLimitValue: 2 }));
      assert.deepEqual(updated.Limit, { LimitDefinition: definition('UserPoolRead', poolId), ProvisionedLimitValue: 2, FreeLimitValue: 15 });
      const read = await gh.cognito.send(new GetProvisionedLimitCommand({ LimitDefinition: definition('UserPoolRead', poolId) }));
      assert.equal(read.Limit!.ProvisionedLimitValue, 2);

      await gh.cognito.send(new DescribeUserPoolCommand({ UserPoolId: poolId }));
      await gh.cognito.send(new GetUserPoolMfaConfigCommand({ UserPoolId: poolId }));
      assert.deepEqual(await errorOf(gh.cognito.send(new DescribeUserPoolCommand({ UserPoolId: poolId }))), THROTTLED, 'the category’s two requests are spent');
      assert.deepEqual(await errorOf(gh.cognito.send(new GetUserPoolMfaConfigCommand({ UserPoolId: poolId }))), THROTTLED, 'by any of its operations');
      for (let i = 0; i < 5; i++) await gh.cognito.send(new ListUsersCommand({ UserPoolId: poolId }));
      for (let i = 0; i < 5; i++) await gh.cognito.send(new DescribeUserPoolCommand({ UserPoolId: otherPool }));

      gh.clock.advance(1000);
      await gh.cognito.send(new DescribeUserPoolCommand({ UserPoolId: poolId }));
      await gh.cognito.send(new UpdateProvisionedLimitCommand({ LimitDefinition: definition('UserPoolRead', poolId), RequestedLimitValue: 0 }));
      for (let i = 0; i < 5; i++) await gh.cognito.send(new DescribeUserPoolCommand({ UserPoolId: poolId }));
    });

    test('sign-ins are counted against the client’s pool, and /oauth2/token against ClientAuthentication', async () => {
      await gh.cognito.send(new CreateResourceServerCommand({ UserPoolId: poolId, Identifier: 'api', Name: 'api', Scopes: [{ ScopeName: 'read', ScopeDescription: 'read' }] }));
      const { UserPoolClient: client } = await gh.cognito.send(
        new CreateUserPoolClientCommand({
          UserPoolId: poolId,
          ClientName: 'app',
          GenerateSecret: true,
          ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH'],
          AllowedOAuthFlowsUserPoolClient: true,
          AllowedOAuthFlows: ['client_credentials'],
          AllowedOAuthScopes: ['api/read'],
        }),
      );
      await gh.cognito.send(new UpdateProvisionedLimitCommand({ LimitDefinition: definition('UserAuthentication', poolId), RequestedLimitValue: 1 }));
      await gh.cognito.send(new UpdateProvisionedLimitCommand({ LimitDefinition: definition('ClientAuthentication', poolId), RequestedLimitValue: 1 }));

      const signIn = () => gh.cognito.send(new InitiateAuthCommand({ ClientId: client!.ClientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'nobody', PASSWORD: 'Password1!' } }));
      assert.equal((await errorOf(signIn())).name, 'NotAuthorizedException', 'the first attempt runs');
      assert.deepEqual(await errorOf(signIn()), THROTTLED, 'the second is over the pool’s UserAuthentication rate');
      const grant = (body: string) =>
        fetch(`${gh.url}/oauth2/token`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${client!.ClientId}:${client!.ClientSecret}`).toString('base64')}` },
          body,
        });
      for (const body of ['grant_type=refresh_token&refresh_token=not-a-token', 'grant_type=authorization_code&code=not-a-code&redirect_uri=https://app.example.com/cb']) {
        const throttled = await grant(body);
        assert.equal(throttled.status, 429, `${body.split('&')[0]} counts as UserAuthentication too`);
        assert.equal(((await throttled.json()) as { error: string }).error, 'too_many_requests');
      }

      const token = () =>
        fetch(`${gh.url}/oauth2/token`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${client!.ClientId}:${client!.ClientSecret}`).toString('base64')}` },
          body: 'grant_type=client_credentials',
        });
      assert.equal((await token()).status, 200);
      assert.equal((await token()).status, 429);
    });

    test('limits are kept in the database: a restarted server enforces them', async () => {
      await gh.cognito.send(new UpdateProvisionedLimitCommand({ LimitDefinition: definition('UserList', otherPool), RequestedLimitValue: 1 }));
      await gh.stop();
      gh = await startTestGatehouse(backend, { database: database.database });
      const read = await gh.cognito.send(new GetProvisionedLimitCommand({ LimitDefinition: definition('UserList', otherPool) }));
      assert.equal(read.Limit!.ProvisionedLimitValue, 1);
      await gh.cognito.send(new ListUsersCommand({ UserPoolId: otherPool }));
      assert.deepEqual(await errorOf(gh.cognito.send(new ListUsersCommand({ UserPoolId: otherPool }))), THROTTLED);
    });

    test('an unknown category or pool, a pool-less update and a negative or fractional rate are refused', async () => {
      const refusals = [
        [new GetProvisionedLimitCommand({ LimitDefinition: definition('UserTeleportation', poolId) }), 'InvalidParameterException'],
        [new GetProvisionedLimitCommand({ LimitDefinition: definition('UserRead', 'us-east-1_nothere00') }), 'ResourceNotFoundException'],
        [new UpdateProvisionedLimitCommand({ LimitDefinition: definition('UserRead'), RequestedLimitValue: 10 }), 'InvalidParameterException'],
        [new UpdateProvisionedLimitCommand({ LimitDefinition: definition('UserRead', poolId), RequestedLimitValue: -1 }), 'InvalidParameterException'],
        [new UpdateProvisionedLimitCommand({ LimitDefinition: definition('UserRead', poolId), RequestedLimitValue: 2.5 }), 'InvalidParameterException'],
      ] as const;
      for (const [command, name] of refusals) assert.equal((await errorOf(gh.cognito.send(command as GetProvisionedLimitCommand))).name, name, JSON.stringify(command.input));
    });
  });
}
