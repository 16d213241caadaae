// Issue 18, first part: resource servers and their custom scopes, the app clients' OAuth settings,
// and machine-to-machine tokens — the token endpoint's client_credentials grant (openid-client as the
// relying party, both client authentication methods) and GetClientToken — plus the token endpoint's
// refresh_token grant and revocation for tokens the API issued.
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { after, before, describe, test } from 'node:test';
import {
  AdminCreateUserCommand,
  AdminInitiateAuthCommand,
  AdminSetUserPasswordCommand,
  CreateResourceServerCommand,
  CreateUserPoolDomainCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DeleteResourceServerCommand,
  DescribeResourceServerCommand,
  GetClientTokenCommand,
  ListResourceServersCommand,
  UpdateResourceServerCommand,
  UpdateUserPoolCommand,
  type CreateUserPoolClientCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import * as oidc from 'openid-client';
import { errorOf } from './support/errors.js';
import { backends, startTestGatehouse, type TestGatehouse } from './support/gatehouse.js';
import { startGatehouseWithLambda, type LambdaServer } from './support/lambda-server.js';

const claimsOf = (token: string): Record<string, any> => JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8'));

for (const backend of backends()) {
  describe(`OAuth: resource servers and machine-to-machine tokens (${backend})`, () => {
    let gatehouse: TestGatehouse;
    let lambda: LambdaServer;
    let stop: () => Promise<void>;
    let poolId: string;
    let counter = 0;

    before(async () => {
      ({ gatehouse, lambda, stop } = await startGatehouseWithLambda(backend));
      poolId = (await gatehouse.cognito.send(new CreateUserPoolCommand({ PoolName: 'm2m' }))).UserPool!.Id!;
      await gatehouse.cognito.send(
        new CreateResourceServerCommand({
          UserPoolId: poolId,
          Identifier: 'https://orders.example.com',
          Name: 'Orders',
          Scopes: [
            { ScopeName: 'read', ScopeDescription: 'Read orders' },
            { ScopeName: 'write', ScopeDescription: 'Write orders' },
          ],
        }),
      );
    });
    after(() => stop());

    const m2mClient = async (extra: Partial<CreateUserPoolClientCommandInput> = {}, pool = poolId) =>
      (
        await gatehouse.cognito.send(
          new CreateUserPoolClientCommand({
            UserPoolId: pool,
            ClientName: `m2m-${++counter}`,
            GenerateSecret: true,
            AllowedOAuthFlowsUserPoolClient: true,
            AllowedOAuthFlows: ['client_credentials'],
            AllowedOAuthScopes: ['https://orders.example.com/read', 'https://orders.example.com/write'],
            ...extra,
          }),
        )
      ).UserPoolClient!;

    /** openid-client's view of the pool, as a relying party configures itself from discovery. */
    const relyingParty = (clientId: string, secret: string | undefined, auth: 'basic' | 'post' | 'none', pool = poolId) =>
      oidc.discovery(
        new URL(`${gatehouse.url}/${pool}`),
        clientId,
        secret,
        auth === 'basic' ? oidc.ClientSecretBasic(secret!) : auth === 'post' ? oidc.ClientSecretPost(secret!) : oidc.None(),
        { execute: [oidc.allowInsecureRequests] },
      );

    const tokenRequest = (body: Record<string, string>, headers: Record<string, string> = {}) =>
      fetch(`${gatehouse.url}/oauth2/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: new URLSearchParams(body) });

    test('resource servers: create, describe, list in pages, update, delete; duplicates and unknowns refused', async () => {
      const pool = (await gatehouse.cognito.send(new CreateUserPoolCommand({ PoolName: 'rs' }))).UserPool!.Id!;
      for (const id of ['b-api', 'a-api', 'c-api']) {
        await gatehouse.cognito.send(new CreateResourceServerCommand({ UserPoolId: pool, Identifier: id, Name: id.toUpperCase(), Scopes: [{ ScopeName: 'x', ScopeDescription: 'x' }] }));
      }
      const described = await gatehouse.cognito.send(new DescribeResourceServerCommand({ UserPoolId: pool, Identifier: 'a-api' }));
      assert.deepEqual(described.ResourceServer, { UserPoolId: pool, Identifier: 'a-api', Name: 'A-API', Scopes: [{ ScopeName: 'x', ScopeDescription: 'x' }] });
      const first = await gatehouse.cognito.send(new ListResourceServersCommand({ UserPoolId: pool, MaxResults: 2 }));
      const rest = await gatehouse.cognito.send(new ListResourceServersCommand({ UserPoolId: pool, MaxResults: 2, NextToken: first.NextToken }));
      assert.deepEqual([...first.ResourceServers!, ...rest.ResourceServers!].map((s) => s.Identifier), ['a-api', 'b-api', 'c-api']);
      assert.equal(rest.NextToken, undefined);
      const updated = await gatehouse.cognito.send(new UpdateResourceServerCommand({ UserPoolId: pool, Identifier: 'a-api', Name: 'Renamed' }));
      assert.deepEqual(updated.ResourceServer, { UserPoolId: pool, Identifier: 'a-api', Name: 'Renamed', Scopes: [] });
      const duplicate = await errorOf(gatehouse.cognito.send(new CreateResourceServerCommand({ UserPoolId: pool, Identifier: 'b-api', Name: 'again' })));
      assert.equal(duplicate.name, 'InvalidParameterException');
      const sameScope = await errorOf(
        gatehouse.cognito.send(new CreateResourceServerCommand({ UserPoolId: pool, Identifier: 'd-api', Name: 'd', Scopes: [{ ScopeName: 'x', ScopeDescription: '1' }, { ScopeName: 'x', ScopeDescription: '2' }] })),
      );
      assert.equal(sameScope.name, 'InvalidParameterException');
      await gatehouse.cognito.send(new DeleteResourceServerCommand({ UserPoolId: pool, Identifier: 'b-api' }));
      assert.equal((await errorOf(gatehouse.cognito.send(new DescribeResourceServerCommand({ UserPoolId: pool, Identifier: 'b-api' })))).name, 'ResourceNotFoundException');
      assert.equal((await errorOf(gatehouse.cognito.send(new DeleteResourceServerCommand({ UserPoolId: pool, Identifier: 'b-api' })))).name, 'ResourceNotFoundException');
      assert.equal((await errorOf(gatehouse.cognito.send(new ListResourceServersCommand({ UserPoolId: 'us-east-1_nothere00' })))).name, 'ResourceNotFoundException');
    });

    test('app clients: OAuth scopes must exist, client_credentials needs a secret and custom scopes only, redirect URLs as Cognito allows', async () => {
      const unknownScope = await errorOf(m2mClient({ AllowedOAuthScopes: ['https://orders.example.com/delete'] }));
      assert.deepEqual([unknownScope.name, unknownScope.message], ['ScopeDoesNotExistException', 'Invalid scope requested: https://orders.example.com/delete']);
      assert.equal((await errorOf(m2mClient({ GenerateSecret: false }))).name, 'InvalidOAuthFlowException');
      assert.equal((await errorOf(m2mClient({ AllowedOAuthScopes: ['openid', 'https://orders.example.com/read'] }))).name, 'InvalidOAuthFlowException');
      const web = (CallbackURLs: string[]) => m2mClient({ GenerateSecret: false, AllowedOAuthFlows: ['code'], AllowedOAuthScopes: ['openid'], CallbackURLs });
      assert.ok((await web(['https://app.example.com/cb', 'http://localhost:3000/cb', 'myapp://callback'])).ClientId);
      assert.equal((await errorOf(web(['http://app.example.com/cb']))).name, 'InvalidParameterException');
      assert.equal((await errorOf(web(['https://app.example.com/cb#frag']))).name, 'InvalidParameterException');
      assert.equal((await errorOf(web(['not a url']))).name, 'InvalidParameterException');
    });

    for (const auth of ['basic', 'post'] as const) {
      test(`client_credentials through openid-client (client_secret_${auth}): a signed access token for the custom scopes`, async () => {
        const client = await m2mClient();
        const config = await relyingParty(client.ClientId!, client.ClientSecret!, auth);
        const metadata = config.serverMetadata();
        assert.equal(metadata.token_endpoint, `${gatehouse.url}/oauth2/token`);
        assert.deepEqual(metadata.code_challenge_methods_supported, ['S256']);
        const all = await oidc.clientCredentialsGrant(config);
        assert.equal(all.token_type, 'bearer');
        assert.equal(all.id_token, undefined);
        assert.equal(all.refresh_token, undefined);
        const keys = createRemoteJWKSet(new URL(metadata.jwks_uri!));
        const { payload: claims } = await jwtVerify(all.access_token, keys, { issuer: `${gatehouse.url}/${poolId}`, algorithms: ['RS256'] });
        assert.equal(claims.sub, client.ClientId);
        assert.equal(claims.client_id, client.ClientId);
        assert.equal(claims.token_use, 'access');
        assert.equal(claims.version, 2);
        assert.equal(claims.scope, 'https://orders.example.com/read https://orders.example.com/write');
        assert.equal(claims.aud, undefined);
        assert.equal(all.expires_in, 3600);
        const narrowed = await oidc.clientCredentialsGrant(config, { scope: 'https://orders.example.com/read' });
        assert.equal(claimsOf(narrowed.access_token).scope, 'https://orders.example.com/read');
      });
    }

    test('the token endpoint refuses as Cognito does: bad secret, unknown scope, a client without the flow, an unknown grant', async () => {
      const client = await m2mClient();
      const basic = (secret: string) => ({ authorization: `Basic ${Buffer.from(`${client.ClientId}:${secret}`).toString('base64')}` });
      const wrongSecret = await tokenRequest({ grant_type: 'client_credentials' }, basic('nope'));
      assert.deepEqual([wrongSecret.status, await wrongSecret.json()], [401, { error: 'invalid_client' }]);
      const badScope = await tokenRequest({ grant_type: 'client_credentials', scope: 'https://orders.example.com/delete' }, basic(client.ClientSecret!));
      assert.deepEqual([badScope.status, await badScope.json()], [400, { error: 'invalid_scope' }]);
      const other = await m2mClient({ AllowedOAuthFlowsUserPoolClient: false, AllowedOAuthFlows: undefined, AllowedOAuthScopes: undefined });
      const notAllowed = await tokenRequest({ grant_type: 'client_credentials', client_id: other.ClientId!, client_secret: other.ClientSecret! });
      assert.deepEqual([notAllowed.status, await notAllowed.json()], [400, { error: 'unauthorized_client' }]);
      const grant = await tokenRequest({ grant_type: 'password', username: 'x', password: 'y' }, basic(client.ClientSecret!));
      assert.deepEqual(await grant.json(), { error: 'unsupported_grant_type' });
      const json = await fetch(`${gatehouse.url}/oauth2/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      assert.deepEqual([json.status, await json.json()], [400, { error: 'invalid_request' }]);
      assert.equal(wrongSecret.headers.get('content-type'), 'application/json;charset=UTF-8');
      assert.equal(wrongSecret.headers.get('cache-control'), 'no-store');
    });

    test('a request to a domain\'s host name serves that domain\'s pool only; discovery names the host it was asked on', async () => {
      const prefix = `m2m-host-${++counter}`;
      await gatehouse.cognito.send(new CreateUserPoolDomainCommand({ UserPoolId: poolId, Domain: prefix }));
      const mine = await m2mClient();
      const otherPool = (await gatehouse.cognito.send(new CreateUserPoolCommand({ PoolName: `other-${counter}` }))).UserPool!.Id!;
      await gatehouse.cognito.send(new CreateResourceServerCommand({ UserPoolId: otherPool, Identifier: 'https://orders.example.com', Name: 'Orders', Scopes: [{ ScopeName: 'read', ScopeDescription: 'r' }, { ScopeName: 'write', ScopeDescription: 'w' }] }));
      const theirs = await m2mClient({}, otherPool);
      const port = new URL(gatehouse.url).port;
      const asDomain = (path: string, host: string, body?: string, headers: Record<string, string> = {}) =>
        new Promise<{ status: number; body: string }>((resolve, reject) => {
          const request = httpRequest({ host: '127.0.0.1', port, path, method: body ? 'POST' : 'GET', headers: { host, ...headers } }, (response) => {
            let text = '';
            response.on('data', (chunk) => (text += chunk));
            response.on('end', () => resolve({ status: response.statusCode!, body: text }));
          });
          request.on('error', reject);
          request.end(body);
        });
      const form = (client: { ClientId?: string; ClientSecret?: string }) => ({ 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${client.ClientId}:${client.ClientSecret}`).toString('base64')}` });
      const host = `${prefix}.auth.localhost:${port}`;
      assert.equal((await asDomain('/oauth2/token', host, 'grant_type=client_credentials', form(mine))).status, 200);
      const foreign = await asDomain('/oauth2/token', host, 'grant_type=client_credentials', form(theirs));
      assert.deepEqual([foreign.status, JSON.parse(foreign.body)], [401, { error: 'invalid_client' }]);
      assert.equal((await asDomain('/oauth2/token', `${prefix}.auth.us-east-1.amazoncognito.com`, 'grant_type=client_credentials', form(theirs))).status, 401);
      assert.equal((await asDomain('/oauth2/token', `127.0.0.1:${port}`, 'grant_type=client_credentials', form(theirs))).status, 200, 'without a domain name the client picks the pool');
      const discovery = JSON.parse((await asDomain(`/${poolId}/.well-known/openid-configuration`, host)).body) as Record<string, string>;
      assert.equal(discovery.token_endpoint, `http://${host}/oauth2/token`);
    });

    test('GetClientToken issues the same token through the JSON API, with Cognito exceptions', async () => {
      const client = await m2mClient();
      const { ClientAuthenticationResult } = await gatehouse.cognito.send(new GetClientTokenCommand({ ClientId: client.ClientId, Secret: client.ClientSecret, Scopes: ['https://orders.example.com/write'] }));
      assert.equal(ClientAuthenticationResult?.TokenType, 'Bearer');
      assert.equal(claimsOf(ClientAuthenticationResult!.AccessToken!).scope, 'https://orders.example.com/write');
      const wrong = await errorOf(gatehouse.cognito.send(new GetClientTokenCommand({ ClientId: client.ClientId, Secret: 'thisisnotthesecretofthisclient' })));
      assert.equal(wrong.name, 'NotAuthorizedException');
      const scope = await errorOf(gatehouse.cognito.send(new GetClientTokenCommand({ ClientId: client.ClientId, Secret: client.ClientSecret, Scopes: ['openid'] })));
      assert.equal(scope.name, 'ScopeDoesNotExistException');
    });

    test('a V3 pre token generation function shapes M2M tokens (TokenGeneration_ClientCredentials); V2 is not asked', async () => {
      const pool = (await gatehouse.cognito.send(new CreateUserPoolCommand({ PoolName: `v3-${++counter}` }))).UserPool!.Id!;
      await gatehouse.cognito.send(new CreateResourceServerCommand({ UserPoolId: pool, Identifier: 'api', Name: 'API', Scopes: [{ ScopeName: 'a', ScopeDescription: 'a' }, { ScopeName: 'b', ScopeDescription: 'b' }] }));
      const name = `v3-${counter}`;
      lambda.register(name, (event: any) => ({
        ...event,
        response: { claimsAndScopeOverrideDetails: { accessTokenGeneration: { claimsToAddOrOverride: { tenant: event.request.clientMetadata.tenant }, scopesToSuppress: ['api/b'] } } },
      }));
      const arn = `arn:aws:lambda:us-east-1:123456789012:function:${name}`;
      const setVersion = (LambdaVersion: 'V2_0' | 'V3_0') => gatehouse.cognito.send(new UpdateUserPoolCommand({ UserPoolId: pool, LambdaConfig: { PreTokenGenerationConfig: { LambdaVersion, LambdaArn: arn } } }));
      await setVersion('V3_0');
      const client = await m2mClient({ AllowedOAuthScopes: ['api/a', 'api/b'] }, pool);
      const basic = { authorization: `Basic ${Buffer.from(`${client.ClientId}:${client.ClientSecret}`).toString('base64')}` };
      const response = await tokenRequest({ grant_type: 'client_credentials', aws_client_metadata: JSON.stringify({ tenant: 'acme' }) }, basic);
      const claims = claimsOf(((await response.json()) as { access_token: string }).access_token);
      assert.deepEqual([claims.tenant, claims.scope, claims.sub], ['acme', 'api/a', client.ClientId]);
      const [event] = lambda.invocations.filter((i) => i.name === name).map((i) => i.event as Record<string, any>);
      assert.equal(event!.triggerSource, 'TokenGeneration_ClientCredentials');
      assert.equal(event!.version, '3');
      assert.deepEqual(event!.request.scopes, ['api/a', 'api/b']);
      assert.equal(event!.callerContext.clientId, client.ClientId);
      await setVersion('V2_0');
      await tokenRequest({ grant_type: 'client_credentials' }, basic);
      assert.equal(lambda.invocations.filter((i) => i.name === name).length, 1);
    });

    test('refresh_token and revocation at the OAuth endpoints work for tokens the API issued', async () => {
      const client = (
        await gatehouse.cognito.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: `web-${++counter}`, ExplicitAuthFlows: ['ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] }))
      ).UserPoolClient!;
      const username = `user-${counter}`;
      await gatehouse.cognito.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: username, MessageAction: 'SUPPRESS' }));
      await gatehouse.cognito.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: username, Password: 'Password1!', Permanent: true }));
      const { AuthenticationResult } = await gatehouse.cognito.send(
        new AdminInitiateAuthCommand({ UserPoolId: poolId, ClientId: client.ClientId, AuthFlow: 'ADMIN_USER_PASSWORD_AUTH', AuthParameters: { USERNAME: username, PASSWORD: 'Password1!' } }),
      );
      const config = await relyingParty(client.ClientId!, undefined, 'none');
      const refreshed = await oidc.refreshTokenGrant(config, AuthenticationResult!.RefreshToken!);
      assert.equal(claimsOf(refreshed.access_token).username, username);
      assert.equal(claimsOf(refreshed.id_token!).aud, client.ClientId);
      assert.equal(refreshed.refresh_token, undefined, 'no rotation configured: the refresh token stays');
      await oidc.tokenRevocation(config, AuthenticationResult!.RefreshToken!);
      await assert.rejects(oidc.refreshTokenGrant(config, AuthenticationResult!.RefreshToken!), (error: any) => error.error === 'invalid_grant');
      const unknownClient = await tokenRequest({ grant_type: 'refresh_token', client_id: 'nosuchclient000000000000', refresh_token: 'x' });
      assert.deepEqual([unknownClient.status, await unknownClient.json()], [401, { error: 'invalid_client' }]);
    });
  });
}

describe('GetClientToken with access keys configured', () => {
  let gatehouse: TestGatehouse;
  before(async () => {
    gatehouse = await startTestGatehouse('sqlite', { accessKeys: [{ accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' }] });
  });
  after(() => gatehouse.stop());

  test('is authorised by the client secret, signed or not, as AWS documents it', async () => {
    const poolId = (await gatehouse.cognito.send(new CreateUserPoolCommand({ PoolName: 'keys' }))).UserPool!.Id!;
    await gatehouse.cognito.send(new CreateResourceServerCommand({ UserPoolId: poolId, Identifier: 'api', Name: 'API', Scopes: [{ ScopeName: 'a', ScopeDescription: 'a' }] }));
    const client = (
      await gatehouse.cognito.send(
        new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'm2m', GenerateSecret: true, AllowedOAuthFlowsUserPoolClient: true, AllowedOAuthFlows: ['client_credentials'], AllowedOAuthScopes: ['api/a'] }),
      )
    ).UserPoolClient!;
    const unsigned = await gatehouse.call('GetClientToken', { ClientId: client.ClientId, Secret: client.ClientSecret });
    assert.equal(unsigned.status, 200);
    assert.ok(unsigned.body.ClientAuthenticationResult.AccessToken);
    const unsignedAdmin = await gatehouse.call('ListResourceServers', { UserPoolId: poolId, MaxResults: 10 });
    assert.equal(unsignedAdmin.status, 400, 'other operations still need a signature');
  });
});
