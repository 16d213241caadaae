// Issue 19: federation. Real upstream providers run beside Gatehouse: oidc-provider (OpenID-certified)
// as an OIDC IdP, a hand-written OAuth/OIDC server in the shapes of Google, Facebook, Login with Amazon
// and Apple (with knobs for bad tokens), driven by a cookie-jar client through the whole redirect
// chain; the identity provider operations through the AWS SDK.
import assert from 'node:assert/strict';
import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import {
  AdminCreateUserCommand,
  AdminDisableProviderForUserCommand,
  AdminGetUserCommand,
  AdminLinkProviderForUserCommand,
  AdminListGroupsForUserCommand,
  AdminSetUserPasswordCommand,
  CreateIdentityProviderCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DeleteIdentityProviderCommand,
  DescribeIdentityProviderCommand,
  GetIdentityProviderByIdentifierCommand,
  GetSigningCertificateCommand,
  InitiateAuthCommand,
  ListIdentityProvidersCommand,
  UpdateIdentityProviderCommand,
  type CreateIdentityProviderCommandInput,
  type LambdaConfigType,
} from '@aws-sdk/client-cognito-identity-provider';
import { errorOf } from './support/errors.js';
import { startFakeOAuthProvider, type FakeOAuthProvider } from './support/fake-oauth-provider.js';
import { FormClient, type PageResponse } from './support/form-client.js';
import { backends, startTestGatehouse, type TestGatehouse } from './support/gatehouse.js';
import { startLambdaServer, type LambdaServer } from './support/lambda-server.js';
import { corpProviderInput, startOidcUpstream, type OidcUpstream } from './support/oidc-upstream.js';
import { postFormOf, startSamlIdp, type SamlIdp } from './support/saml-idp.js';

const CALLBACK = 'https://app.example.com/callback';
const SIGNED_OUT = 'https://app.example.com/signed-out';
const claimsOf = (token: string): Record<string, any> => JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8'));
const apple = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const APPLE_KEY_PEM = apple.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

/** Follows an auto-submitting POST form (Apple's form_post, a SAML IdP's answer), as the page's script would. */
async function postAutoForm(browser: FormClient, page: PageResponse): Promise<PageResponse> {
  const { action, fields } = postFormOf(page.body);
  return browser.request(new URL(action, page.url).toString(), { form: fields });
}

for (const backend of backends()) {
  describe(`federation (${backend})`, () => {
    let gatehouse: TestGatehouse;
    let lambda: LambdaServer;
    let oidcIdp: OidcUpstream;
    let google: FakeOAuthProvider;
    let facebook: FakeOAuthProvider;
    let amazon: FakeOAuthProvider;
    let appleIdp: FakeOAuthProvider;
    let samlIdp: SamlIdp;
    let counter = 0;

    before(async () => {
      lambda = await startLambdaServer();
      samlIdp = await startSamlIdp();
      google = await startFakeOAuthProvider('oidc', { clientId: 'google-client', clientSecret: 'google-secret' });
      facebook = await startFakeOAuthProvider('facebook', { clientId: 'fb-client', clientSecret: 'fb-secret' });
      amazon = await startFakeOAuthProvider('amazon', { clientId: 'lwa-client', clientSecret: 'lwa-secret' });
      appleIdp = await startFakeOAuthProvider('apple', {
        clientId: 'com.example.web',
        applePublicKeyPem: apple.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
        appleTeamId: 'TEAM123456',
        appleKeyId: 'KEY1234567',
      });
      const { attributes_url_add_attributes: _a, token_request_method: _t, ...facebookEndpoints } = facebook.endpoints;
      gatehouse = await startTestGatehouse(backend, {
        lambda: { endpoint: lambda.url, timeoutMs: 2000 },
        federation: { endpoints: { Google: google.endpoints, Facebook: facebookEndpoints, LoginWithAmazon: amazon.endpoints, SignInWithApple: appleIdp.endpoints } },
      });
      oidcIdp = await startOidcUpstream({ redirectUris: [`${gatehouse.url}/oauth2/idpresponse`], tokenEndpointAuthMethod: 'client_secret_post' });
    });
    after(async () => {
      await gatehouse.stop();
      await Promise.all([lambda, oidcIdp, google, facebook, amazon, appleIdp, samlIdp].map((server) => server.close()));
    });

    async function newPool(LambdaConfig?: LambdaConfigType): Promise<string> {
      return (await gatehouse.cognito.send(new CreateUserPoolCommand({ PoolName: `federation-${++counter}`, LambdaConfig }))).UserPool!.Id!;
    }

    async function oidcProvider(poolId: string, extra: Partial<CreateIdentityProviderCommandInput> = {}) {
      const mapping = { email: 'email', email_verified: 'email_verified', name: 'name' };
      await gatehouse.cognito.send(new CreateIdentityProviderCommand({ ...corpProviderInput(oidcIdp, poolId, 'openid email profile', mapping), ...extra }));
    }

    async function webClient(poolId: string, providers: string[]): Promise<string> {
      const client = await gatehouse.cognito.send(
        new CreateUserPoolClientCommand({
          UserPoolId: poolId,
          ClientName: `web-${++counter}`,
          AllowedOAuthFlowsUserPoolClient: true,
          AllowedOAuthFlows: ['code'],
          AllowedOAuthScopes: ['openid', 'email', 'profile'],
          CallbackURLs: [CALLBACK],
          LogoutURLs: [SIGNED_OUT],
          SupportedIdentityProviders: providers,
          ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
        }),
      );
      return client.UserPoolClient!.ClientId!;
    }

    const authorizeUrl = (clientId: string, extra: Record<string, string>) =>
      `${gatehouse.url}/oauth2/authorize?${new URLSearchParams({ response_type: 'code', client_id: clientId, redirect_uri: CALLBACK, scope: 'openid email profile', state: 'app-state', ...extra })}`;

    /** The browser's whole trip: Gatehouse → provider → Gatehouse → the app's callback. */
    async function federatedSignIn(clientId: string, extra: Record<string, string>, browser = new FormClient()): Promise<URL> {
      gatehouse.clock.set(Date.now());
      let page = await browser.follow(authorizeUrl(clientId, extra), CALLBACK);
      if (page.status === 200 && /<form\b[^>]*method=["']?post/i.test(page.body)) {
        page = await postAutoForm(browser, page);
        while (page.location && !page.location.startsWith(CALLBACK)) page = await browser.request(page.location);
      }
      assert.ok(page.location?.startsWith(CALLBACK), `back at the app, not ${page.status} ${page.location}\n${page.body.slice(0, 500)}`);
      return new URL(page.location!);
    }

    async function tokensFor(clientId: string, callback: URL): Promise<Record<string, any>> {
      const code = callback.searchParams.get('code');
      assert.ok(code, `a code, not ${callback}`);
      const response = await fetch(`${gatehouse.url}/oauth2/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'authorization_code', client_id: clientId, code, redirect_uri: CALLBACK }),
      });
      assert.equal(response.status, 200);
      return response.json() as Promise<Record<string, any>>;
    }

    test('identity provider operations: create, describe, list, update, find by identifier, delete', async () => {
      const poolId = await newPool();
      await oidcProvider(poolId, { IdpIdentifiers: ['corp.example.com'] });
      const described = (await gatehouse.cognito.send(new DescribeIdentityProviderCommand({ UserPoolId: poolId, ProviderName: 'Corp' }))).IdentityProvider!;
      assert.equal(described.ProviderType, 'OIDC');
      assert.equal(described.ProviderDetails!.client_secret, oidcIdp.clientSecret);
      assert.equal(described.ProviderDetails!.attributes_url_add_attributes, 'false');
      assert.deepEqual(described.AttributeMapping, { email: 'email', email_verified: 'email_verified', name: 'name', username: 'sub' });
      assert.deepEqual(described.IdpIdentifiers, ['corp.example.com']);
      assert.ok(described.CreationDate instanceof Date);

      const byIdentifier = await gatehouse.cognito.send(new GetIdentityProviderByIdentifierCommand({ UserPoolId: poolId, IdpIdentifier: 'corp.example.com' }));
      assert.equal(byIdentifier.IdentityProvider!.ProviderName, 'Corp');

      await gatehouse.cognito.send(new CreateIdentityProviderCommand({ UserPoolId: poolId, ProviderName: 'Google', ProviderType: 'Google', ProviderDetails: { client_id: 'g', client_secret: 's', authorize_scopes: 'openid email' } }));
      const googleDetails = (await gatehouse.cognito.send(new DescribeIdentityProviderCommand({ UserPoolId: poolId, ProviderName: 'Google' }))).IdentityProvider!.ProviderDetails!;
      assert.equal(googleDetails.authorize_url, google.endpoints.authorize_url, 'the configured endpoint replaces accounts.google.com');
      assert.equal(googleDetails.token_request_method, 'POST');
      await gatehouse.cognito.send(
        new CreateIdentityProviderCommand({ UserPoolId: poolId, ProviderName: 'SignInWithApple', ProviderType: 'SignInWithApple', ProviderDetails: { client_id: 'c', team_id: 't', key_id: 'k', private_key: APPLE_KEY_PEM, authorize_scopes: 'email name' } }),
      );
      const appleDetails = (await gatehouse.cognito.send(new DescribeIdentityProviderCommand({ UserPoolId: poolId, ProviderName: 'SignInWithApple' }))).IdentityProvider!.ProviderDetails!;
      assert.equal(appleDetails.private_key, undefined, 'the Apple key is never shown again');
      assert.equal(appleDetails.key_id, 'k');

      const listed = await gatehouse.cognito.send(new ListIdentityProvidersCommand({ UserPoolId: poolId, MaxResults: 2 }));
      assert.deepEqual(listed.Providers!.map((p) => p.ProviderName), ['Corp', 'Google']);
      assert.ok(listed.NextToken);
      const rest = await gatehouse.cognito.send(new ListIdentityProvidersCommand({ UserPoolId: poolId, NextToken: listed.NextToken }));
      assert.deepEqual(rest.Providers!.map((p) => p.ProviderName), ['SignInWithApple']);

      const updated = await gatehouse.cognito.send(
        new UpdateIdentityProviderCommand({ UserPoolId: poolId, ProviderName: 'Corp', ProviderDetails: { client_id: 'other', oidc_issuer: oidcIdp.issuer, authorize_scopes: 'openid', attributes_request_method: 'POST' }, IdpIdentifiers: ['corp.example.org'] }),
      );
      assert.equal(updated.IdentityProvider!.ProviderDetails!.client_id, 'other');
      assert.equal(updated.IdentityProvider!.ProviderDetails!.client_secret, oidcIdp.clientSecret, 'a secret not sent again is kept');
      assert.equal((await errorOf(gatehouse.cognito.send(new GetIdentityProviderByIdentifierCommand({ UserPoolId: poolId, IdpIdentifier: 'corp.example.com' })))).name, 'ResourceNotFoundException');

      await gatehouse.cognito.send(new DeleteIdentityProviderCommand({ UserPoolId: poolId, ProviderName: 'Corp' }));
      assert.equal((await errorOf(gatehouse.cognito.send(new DescribeIdentityProviderCommand({ UserPoolId: poolId, ProviderName: 'Corp' })))).name, 'ResourceNotFoundException');
    });

    test('identity provider refusals: missing details, wrong names, duplicates, unknown attributes, unknown providers on clients', async () => {
      const poolId = await newPool();
      const create = (input: Partial<CreateIdentityProviderCommandInput>) =>
        errorOf(gatehouse.cognito.send(new CreateIdentityProviderCommand({ UserPoolId: poolId, ProviderName: 'Xyz', ProviderType: 'OIDC', ProviderDetails: {}, ...input })));
      const missing = await create({ ProviderDetails: { client_id: 'a', authorize_scopes: 'openid', attributes_request_method: 'GET' } });
      assert.equal(missing.name, 'InvalidParameterException');
      assert.match(missing.message, /oidc_issuer/);
      assert.equal((await create({ ProviderDetails: { client_id: 'a', oidc_issuer: 'https://x', authorize_scopes: 'openid', attributes_request_method: 'PUT' } })).name, 'InvalidParameterException');
      assert.equal((await create({ ProviderName: 'Googol', ProviderType: 'Google', ProviderDetails: { client_id: 'a', client_secret: 'b', authorize_scopes: 'email' } })).name, 'InvalidParameterException');
      assert.equal((await create({ ProviderType: 'SAML', ProviderDetails: { MetadataFile: '<not-metadata/>' } })).name, 'InvalidParameterException');
      assert.equal((await create({ ProviderType: 'SAML', ProviderDetails: {} })).name, 'InvalidParameterException');
      const unknownAttribute = await create({ ProviderDetails: { client_id: 'a', oidc_issuer: 'https://x', authorize_scopes: 'openid', attributes_request_method: 'GET' }, AttributeMapping: { 'custom:nope': 'x' } });
      assert.equal(unknownAttribute.name, 'InvalidParameterException');
      await oidcProvider(poolId);
      assert.equal((await errorOf(oidcProvider(poolId))).name, 'DuplicateProviderException');
      const client = await errorOf(webClient(poolId, ['COGNITO', 'Facebook']));
      assert.equal(client.name, 'InvalidParameterException');
      assert.equal(client.message, `The provider Facebook does not exist for User Pool ${poolId}`);
      assert.equal((await errorOf(gatehouse.cognito.send(new DescribeIdentityProviderCommand({ UserPoolId: 'us-east-1_nope', ProviderName: 'Corp' })))).name, 'ResourceNotFoundException');
    });

    test('GetSigningCertificate: the pool SAML certificate, an X.509 certificate that stays the same', async () => {
      const poolId = await newPool();
      const first = (await gatehouse.cognito.send(new GetSigningCertificateCommand({ UserPoolId: poolId }))).Certificate!;
      const certificate = new X509Certificate(Buffer.from(first, 'base64'));
      assert.match(certificate.subject, new RegExp(poolId));
      assert.ok(new Date(certificate.validTo).getTime() > Date.now() + 9 * 365 * 86_400_000, 'valid about ten years');
      assert.equal((await gatehouse.cognito.send(new GetSigningCertificateCommand({ UserPoolId: poolId }))).Certificate, first);
    });

    test('OIDC sign-in: the user Cognito makes, its tokens, and later sign-ins that update mapped attributes', async () => {
      const poolId = await newPool();
      await oidcProvider(poolId);
      const clientId = await webClient(poolId, ['COGNITO', 'Corp']);
      oidcIdp.signInAs({ sub: 'okta-123', claims: { email: 'ada@corp.example.com', email_verified: true, name: 'Ada' } });
      const callback = await federatedSignIn(clientId, { identity_provider: 'Corp', nonce: 'app-nonce' });
      assert.equal(callback.searchParams.get('state'), 'app-state');
      const sent = oidcIdp.authorizations.at(-1)!;
      assert.equal(sent.redirect_uri, `${gatehouse.url}/oauth2/idpresponse`);
      assert.equal(sent.scope, 'openid email profile');
      assert.ok(sent.nonce && sent.state && sent.nonce !== 'app-nonce', 'Gatehouse sends its own nonce and state upstream');

      const tokens = await tokensFor(clientId, callback);
      const id = claimsOf(tokens.id_token);
      assert.equal(id['cognito:username'], 'Corp_okta-123');
      assert.equal(id.email, 'ada@corp.example.com');
      assert.equal(id.email_verified, true);
      assert.equal(id.nonce, 'app-nonce');
      assert.deepEqual(id['cognito:groups'], [`${poolId}_Corp`]);
      assert.equal(id.identities.length, 1);
      assert.deepEqual({ ...id.identities[0], dateCreated: undefined }, { userId: 'okta-123', providerName: 'Corp', providerType: 'OIDC', issuer: null, primary: 'true', dateCreated: undefined });
      assert.equal(claimsOf(tokens.access_token).username, 'Corp_okta-123');

      const user = await gatehouse.cognito.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'Corp_okta-123' }));
      assert.equal(user.UserStatus, 'EXTERNAL_PROVIDER');
      const identities = JSON.parse(user.UserAttributes!.find((a) => a.Name === 'identities')!.Value!);
      assert.equal(identities[0].userId, 'okta-123');
      const groups = await gatehouse.cognito.send(new AdminListGroupsForUserCommand({ UserPoolId: poolId, Username: 'Corp_okta-123' }));
      assert.deepEqual(groups.Groups!.map((g) => g.GroupName), [`${poolId}_Corp`]);

      oidcIdp.signInAs({ sub: 'okta-123', claims: { email: 'ada@corp.example.com', email_verified: true, name: 'Ada Lovelace' } });
      const again = claimsOf((await tokensFor(clientId, await federatedSignIn(clientId, { identity_provider: 'Corp' }))).id_token);
      assert.equal(again.sub, id.sub, 'the same user');
      assert.equal(again.name, 'Ada Lovelace', 'the mapped attribute follows the provider');

      const refreshed = await fetch(`${gatehouse.url}/oauth2/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'refresh_token', client_id: clientId, refresh_token: tokens.refresh_token }),
      });
      assert.equal(refreshed.status, 200);
      assert.equal(claimsOf(((await refreshed.json()) as { id_token: string }).id_token)['cognito:username'], 'Corp_okta-123');

      const password = await errorOf(gatehouse.cognito.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'Corp_okta-123', PASSWORD: 'Anything1!' } })));
      assert.ok(['NotAuthorizedException', 'UserNotFoundException'].includes(password.name), `a federated user has no password to sign in with: ${password.name}`);
    });

    test('two first sign-ins of one identity at once make one user', async () => {
      const poolId = await newPool();
      await oidcProvider(poolId);
      const clientId = await webClient(poolId, ['Corp']);
      oidcIdp.signInAs({ sub: 'race-1', claims: { email: 'race@corp.example.com' } });
      // Both trips reach the provider first, so both answers arrive at Gatehouse for a user it does not have yet.
      const starts = await Promise.all([0, 1].map(async () => {
        const browser = new FormClient();
        let page = await browser.request(authorizeUrl(clientId, { identity_provider: 'Corp' }));
        while (page.location && !page.location.includes('/oauth2/idpresponse')) page = await browser.request(page.location);
        return { browser, answer: page.location! };
      }));
      const callbacks = await Promise.all(starts.map(({ browser, answer }) => browser.request(answer)));
      const subs = await Promise.all(callbacks.map(async (page) => claimsOf((await tokensFor(clientId, new URL(page.location!))).id_token).sub));
      assert.equal(subs[0], subs[1]);
      const user = await gatehouse.cognito.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'Corp_race-1' }));
      assert.equal(user.UserAttributes!.find((a) => a.Name === 'sub')!.Value, subs[0]);
    });

    test('a provider the client does not support, or an unknown one, comes back as invalid_request', async () => {
      const poolId = await newPool();
      await oidcProvider(poolId);
      const clientId = await webClient(poolId, ['COGNITO']);
      const page = await new FormClient().request(authorizeUrl(clientId, { identity_provider: 'Corp' }));
      const location = new URL(page.location!);
      assert.equal(location.origin + location.pathname, CALLBACK);
      assert.equal(location.searchParams.get('error'), 'invalid_request');
      assert.equal(location.searchParams.get('state'), 'app-state');
    });

    test('social providers: Google, Facebook, Login with Amazon and Apple, each as the provider expects', async () => {
      const poolId = await newPool();
      const social = (ProviderName: 'Google' | 'Facebook' | 'LoginWithAmazon', client_id: string, client_secret: string, AttributeMapping: Record<string, string>, authorize_scopes = 'openid email profile') =>
        gatehouse.cognito.send(new CreateIdentityProviderCommand({ UserPoolId: poolId, ProviderName, ProviderType: ProviderName, ProviderDetails: { client_id, client_secret, authorize_scopes }, AttributeMapping }));
      await social('Google', 'google-client', 'google-secret', { email: 'email', name: 'name' });
      await social('Facebook', 'fb-client', 'fb-secret', { email: 'email', name: 'name' }, 'public_profile,email');
      await social('LoginWithAmazon', 'lwa-client', 'lwa-secret', { email: 'email', name: 'name' }, 'profile');
      await gatehouse.cognito.send(
        new CreateIdentityProviderCommand({
          UserPoolId: poolId,
          ProviderName: 'SignInWithApple',
          ProviderType: 'SignInWithApple',
          ProviderDetails: { client_id: 'com.example.web', team_id: 'TEAM123456', key_id: 'KEY1234567', private_key: APPLE_KEY_PEM, authorize_scopes: 'email name' },
          AttributeMapping: { email: 'email' },
        }),
      );
      const clientId = await webClient(poolId, ['Google', 'Facebook', 'LoginWithAmazon', 'SignInWithApple']);

      google.signInAs({ id: 'g-1', claims: { email: 'g@example.com', name: 'Gee' } });
      const g = claimsOf((await tokensFor(clientId, await federatedSignIn(clientId, { identity_provider: 'Google' }))).id_token);
      assert.equal(g['cognito:username'], 'Google_g-1');
      assert.equal(g.email, 'g@example.com');
      assert.deepEqual(g['cognito:groups'], [`${poolId}_Google`]);

      facebook.signInAs({ id: 'fb-1', claims: { email: 'f@example.com', name: 'Eff' } });
      const f = claimsOf((await tokensFor(clientId, await federatedSignIn(clientId, { identity_provider: 'Facebook' }))).id_token);
      assert.equal(f['cognito:username'], 'Facebook_fb-1');
      assert.equal(f.name, 'Eff');
      const fbToken = facebook.requests.filter((r) => r.endpoint === 'token').at(-1)!;
      assert.equal(fbToken.method, 'GET', "Facebook's token endpoint is called with GET");
      assert.equal(facebook.requests.filter((r) => r.endpoint === 'authorize').at(-1)!.query.scope, 'public_profile,email');

      amazon.signInAs({ id: 'amzn1.account.A', claims: { email: 'a@example.com', name: 'Ay' } });
      const a = claimsOf((await tokensFor(clientId, await federatedSignIn(clientId, { identity_provider: 'LoginWithAmazon' }))).id_token);
      assert.equal(a['cognito:username'], 'LoginWithAmazon_amzn1.account.A');
      assert.equal(a.email, 'a@example.com');

      appleIdp.signInAs({ id: 'apple-1', claims: { email: 'p@privaterelay.appleid.com' } });
      const p = claimsOf((await tokensFor(clientId, await federatedSignIn(clientId, { identity_provider: 'SignInWithApple' }))).id_token);
      assert.equal(p['cognito:username'], 'SignInWithApple_apple-1');
      assert.equal(p.email, 'p@privaterelay.appleid.com');
      const appleToken = appleIdp.requests.filter((r) => r.endpoint === 'token').at(-1)!;
      const secret = claimsOf(appleToken.body.client_secret!);
      assert.deepEqual([secret.iss, secret.sub], ['TEAM123456', 'com.example.web'], 'the client secret is a JWT from the team for the client');
    });

    test('bad ID tokens are refused: signature, audience, expiry, nonce, issuer; no user is made', async () => {
      const poolId = await newPool();
      await gatehouse.cognito.send(new CreateIdentityProviderCommand({ UserPoolId: poolId, ProviderName: 'Google', ProviderType: 'Google', ProviderDetails: { client_id: 'google-client', client_secret: 'google-secret', authorize_scopes: 'openid email' } }));
      const clientId = await webClient(poolId, ['Google']);
      google.signInAs({ id: 'bad-1', claims: { email: 'bad@example.com' } });
      const cases = [{ breakSignature: true }, { audience: 'someone-else' }, { expired: true }, { nonce: 'replayed' }, { issuer: 'https://evil.example.com' }, { tokenError: 'invalid_grant' }];
      try {
        for (const tampering of cases) {
          google.tamper(tampering);
          const callback = await federatedSignIn(clientId, { identity_provider: 'Google' });
          assert.equal(callback.searchParams.get('error'), 'invalid_request', JSON.stringify(tampering));
          assert.ok(callback.searchParams.get('error_description'), 'the app is told why');
          assert.equal(callback.searchParams.get('code'), null);
        }
      } finally {
        google.tamper(undefined);
      }
      assert.equal((await errorOf(gatehouse.cognito.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'Google_bad-1' })))).name, 'UserNotFoundException');
      const replay = await new FormClient().request(`${gatehouse.url}/oauth2/idpresponse?state=unknown&code=whatever`);
      assert.equal(replay.status, 400, 'an answer to no sign-in Gatehouse started gets the error page');
    });

    test('AdminLinkProviderForUser: the identity signs in as the native user; AdminDisableProviderForUser undoes it', async () => {
      const poolId = await newPool();
      await oidcProvider(poolId);
      const clientId = await webClient(poolId, ['COGNITO', 'Corp']);
      await gatehouse.cognito.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'grace', MessageAction: 'SUPPRESS', UserAttributes: [{ Name: 'email', Value: 'grace@corp.example.com' }] }));
      await gatehouse.cognito.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: 'grace', Password: 'Password1!', Permanent: true }));
      const native = await gatehouse.cognito.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'grace' }));
      const nativeSub = native.UserAttributes!.find((a) => a.Name === 'sub')!.Value;
      await gatehouse.cognito.send(
        new AdminLinkProviderForUserCommand({
          UserPoolId: poolId,
          DestinationUser: { ProviderName: 'Cognito', ProviderAttributeValue: 'grace' },
          SourceUser: { ProviderName: 'Corp', ProviderAttributeName: 'Cognito_Subject', ProviderAttributeValue: 'okta-grace' },
        }),
      );
      oidcIdp.signInAs({ sub: 'okta-grace', claims: { email: 'grace@corp.example.com', name: 'Grace' } });
      const linked = claimsOf((await tokensFor(clientId, await federatedSignIn(clientId, { identity_provider: 'Corp' }))).id_token);
      assert.equal(linked.sub, nativeSub, 'the identity signs in as the native user');
      assert.equal(linked['cognito:username'], 'grace');
      assert.equal(linked.identities[0].userId, 'okta-grace');

      const merging = await errorOf(
        gatehouse.cognito.send(
          new AdminLinkProviderForUserCommand({ UserPoolId: poolId, DestinationUser: { ProviderName: 'Cognito', ProviderAttributeValue: 'grace' }, SourceUser: { ProviderName: 'Corp', ProviderAttributeName: 'Cognito_Subject', ProviderAttributeValue: 'okta-grace' } }),
        ),
      );
      assert.equal(merging.name, 'InvalidParameterException');
      assert.match(merging.message, /Merging is not currently supported/);
      const nobody = await errorOf(
        gatehouse.cognito.send(
          new AdminLinkProviderForUserCommand({ UserPoolId: poolId, DestinationUser: { ProviderName: 'Cognito', ProviderAttributeValue: 'nobody' }, SourceUser: { ProviderName: 'Corp', ProviderAttributeName: 'Cognito_Subject', ProviderAttributeValue: 'x' } }),
        ),
      );
      assert.equal(nobody.name, 'UserNotFoundException');

      await gatehouse.cognito.send(new AdminDisableProviderForUserCommand({ UserPoolId: poolId, User: { ProviderName: 'Corp', ProviderAttributeName: 'Cognito_Subject', ProviderAttributeValue: 'okta-grace' } }));
      const unlinked = claimsOf((await tokensFor(clientId, await federatedSignIn(clientId, { identity_provider: 'Corp' }))).id_token);
      assert.notEqual(unlinked.sub, nativeSub, 'without the link the identity is a user of its own');
      assert.equal(unlinked['cognito:username'], 'Corp_okta-grace');
    });

    test('triggers: InboundFederation, PreSignUp_ExternalProvider, PostConfirmation and token generation', async () => {
      const poolId = await newPool({
        PreSignUp: 'arn:aws:lambda:us-east-1:123456789012:function:fed-presignup',
        PostConfirmation: 'arn:aws:lambda:us-east-1:123456789012:function:fed-postconfirm',
        PreTokenGeneration: 'arn:aws:lambda:us-east-1:123456789012:function:fed-pretoken',
        InboundFederation: { LambdaVersion: 'V1_0', LambdaArn: 'arn:aws:lambda:us-east-1:123456789012:function:fed-inbound' },
      });
      lambda.register('fed-presignup', (event: any) => ({ ...event, response: { ...event.response, autoVerifyEmail: true } }));
      lambda.register('fed-postconfirm', (event: any) => event);
      lambda.register('fed-pretoken', (event: any) => ({ ...event, response: { claimsOverrideDetails: { claimsToAddOrOverride: { tenant: 'corp' } } } }));
      lambda.register('fed-inbound', (event: any) => ({ ...event, response: { userAttributesToMap: { email: event.request.attributes.idToken.email, name: 'Mapped By Lambda' } } }));
      await oidcProvider(poolId);
      const clientId = await webClient(poolId, ['Corp']);
      oidcIdp.signInAs({ sub: 'trig-1', claims: { email: 'trig@corp.example.com', name: 'Original' } });
      const id = claimsOf((await tokensFor(clientId, await federatedSignIn(clientId, { identity_provider: 'Corp' }))).id_token);
      const sources = lambda.invocations.filter((i) => (i.event as any).userPoolId === poolId).map((i) => (i.event as any).triggerSource);
      assert.deepEqual(sources, ['InboundFederation_ExternalProvider', 'PreSignUp_ExternalProvider', 'PostConfirmation_ConfirmSignUp', 'TokenGeneration_HostedAuth']);
      const inbound = lambda.invocations.find((i) => (i.event as any).triggerSource === 'InboundFederation_ExternalProvider' && (i.event as any).userPoolId === poolId)!.event as any;
      assert.equal(inbound.request.providerName, 'Corp');
      assert.equal(inbound.request.providerType, 'OIDC');
      assert.equal(inbound.request.attributes.idToken.sub, 'trig-1');
      assert.equal(id.name, 'Mapped By Lambda');
      assert.equal(id.email_verified, true, 'PreSignUp verified the email');
      assert.equal(id.tenant, 'corp');
      assert.equal(id['cognito:username'], 'Corp_trig-1', 'the username cannot be changed by a trigger');
    });

    test('idp_identifier and the login page: buttons, and an email domain that routes to its provider', async () => {
      const poolId = await newPool();
      await oidcProvider(poolId, { IdpIdentifiers: ['corp.example.com'] });
      const clientId = await webClient(poolId, ['COGNITO', 'Corp']);
      oidcIdp.signInAs({ sub: 'route-1', claims: { email: 'route@corp.example.com' } });
      const byIdentifier = claimsOf((await tokensFor(clientId, await federatedSignIn(clientId, { idp_identifier: 'corp.example.com' }))).id_token);
      assert.equal(byIdentifier['cognito:username'], 'Corp_route-1');

      const browser = new FormClient();
      const login = await browser.follow(authorizeUrl(clientId, {}), CALLBACK);
      assert.equal(login.status, 200);
      assert.match(login.body, /Continue with Corp/);
      assert.match(login.body, /name="username"/, 'COGNITO is supported too: the password form stays');
      const forms = [...login.body.matchAll(/<form[\s\S]*?<\/form>/g)].map((m) => m[0]);
      const corporate = forms.find((f) => f.includes('/login/federated'))!;
      assert.ok(corporate, 'a corporate email form');
      gatehouse.clock.set(Date.now());
      let page = await browser.submit({ ...login, body: corporate }, { email: 'someone@corp.example.com' });
      while (page.location && !page.location.startsWith(CALLBACK)) page = await browser.request(page.location);
      const routed = claimsOf((await tokensFor(clientId, new URL(page.location!))).id_token);
      assert.equal(routed['cognito:username'], 'Corp_route-1');
    });

    async function samlProvider(poolId: string, name: string, details: Record<string, string>) {
      await gatehouse.cognito.send(
        new CreateIdentityProviderCommand({ UserPoolId: poolId, ProviderName: name, ProviderType: 'SAML', ProviderDetails: details, AttributeMapping: { email: 'email', name: 'displayName' } }),
      );
    }

    test('SAML sign-in (SP-initiated): the user Cognito makes, its tokens, and single logout at the IdP', async () => {
      const poolId = await newPool();
      await samlProvider(poolId, 'Okta', { MetadataURL: samlIdp.metadataUrl, IDPSignout: 'true' });
      const described = (await gatehouse.cognito.send(new DescribeIdentityProviderCommand({ UserPoolId: poolId, ProviderName: 'Okta' }))).IdentityProvider!.ProviderDetails!;
      assert.ok(described.SSORedirectBindingURI?.startsWith(samlIdp.url), 'the SSO URL read from the metadata');
      const clientId = await webClient(poolId, ['Okta']);
      samlIdp.tamper(undefined);
      samlIdp.encryptTo(undefined);
      samlIdp.signInAs({ nameId: 'ada@corp.example.com', attributes: { email: 'ada@corp.example.com', displayName: 'Ada' } });
      const browser = new FormClient();
      const id = claimsOf((await tokensFor(clientId, await federatedSignIn(clientId, { identity_provider: 'Okta' }, browser))).id_token);
      assert.equal(id['cognito:username'], 'Okta_ada@corp.example.com');
      assert.equal(id.email, 'ada@corp.example.com');
      assert.equal(id.name, 'Ada');
      assert.deepEqual(id['cognito:groups'], [`${poolId}_Okta`]);
      assert.equal(id.identities[0].providerType, 'SAML');
      assert.equal(id.identities[0].issuer, samlIdp.entityId);

      // The IdP learns the pool's logout URL and certificate from the metadata Gatehouse serves.
      samlIdp.registerServiceProvider(await (await fetch(`${gatehouse.url}/saml2/metadata/${poolId}`)).text());
      const logouts = samlIdp.logouts.length;
      let page = await browser.request(`${gatehouse.url}/logout?${new URLSearchParams({ client_id: clientId, logout_uri: SIGNED_OUT })}`);
      assert.ok(page.location?.startsWith(samlIdp.url), `on to the IdP to sign out there, not ${page.location}`);
      while (page.location && !page.location.startsWith(SIGNED_OUT)) page = await browser.request(page.location);
      assert.ok(page.location?.startsWith(SIGNED_OUT), 'back where the app asked');
      assert.deepEqual(samlIdp.logouts.slice(logouts).map((logout) => [logout.kind, logout.nameId]), [['request', 'ada@corp.example.com']]);
      const login = await browser.follow(authorizeUrl(clientId, {}), CALLBACK);
      assert.equal(login.status, 200, 'signed out: the sign-in page again, not a code');
      assert.match(login.body, /Continue with Okta/);
    });

    test('SAML responses are checked: signature, audience, expiry, issuer, InResponseTo, status; encryption when required; no replay', async () => {
      const poolId = await newPool();
      await samlProvider(poolId, 'Enc', { MetadataFile: samlIdp.metadataXml, EncryptedResponses: 'true' });
      const certificate = (await gatehouse.cognito.send(new DescribeIdentityProviderCommand({ UserPoolId: poolId, ProviderName: 'Enc' }))).IdentityProvider!.ProviderDetails!.ActiveEncryptionCertificate!;
      assert.ok(new X509Certificate(Buffer.from(certificate, 'base64')), 'ActiveEncryptionCertificate is a certificate');
      const pem = `-----BEGIN CERTIFICATE-----\n${certificate.match(/.{1,64}/g)!.join('\n')}\n-----END CERTIFICATE-----\n`;
      const clientId = await webClient(poolId, ['Enc']);
      samlIdp.signInAs({ nameId: 'enc-user', attributes: { email: 'enc@corp.example.com' } });
      samlIdp.encryptTo(pem);
      try {
        const id = claimsOf((await tokensFor(clientId, await federatedSignIn(clientId, { identity_provider: 'Enc' }))).id_token);
        assert.equal(id['cognito:username'], 'Enc_enc-user');

        const refusals = [
          { breakSignature: true },
          { unsigned: true },
          { audience: 'urn:amazon:cognito:sp:someone-else' },
          { expired: true },
          { issuer: 'https://evil.example.com' },
          { inResponseTo: '_another-request' },
          { status: 'urn:oasis:names:tc:SAML:2.0:status:Requester' },
        ];
        for (const tampering of refusals) {
          samlIdp.tamper(tampering);
          const callback = await federatedSignIn(clientId, { identity_provider: 'Enc' });
          assert.equal(callback.searchParams.get('error'), 'invalid_request', JSON.stringify(tampering));
          assert.equal(callback.searchParams.get('code'), null);
        }
        samlIdp.tamper(undefined);
        samlIdp.encryptTo(undefined);
        const plain = await federatedSignIn(clientId, { identity_provider: 'Enc' });
        assert.match(plain.searchParams.get('error_description') ?? '', /encrypt/i, 'an unencrypted assertion is refused when encryption is required');

        samlIdp.encryptTo(pem);
        const browser = new FormClient();
        gatehouse.clock.set(Date.now());
        const idpPage = await browser.follow(authorizeUrl(clientId, { identity_provider: 'Enc' }), CALLBACK);
        const form = postFormOf(idpPage.body);
        const first = await browser.request(new URL(form.action, idpPage.url).toString(), { form: form.fields });
        assert.ok(first.location?.startsWith(CALLBACK) && new URL(first.location).searchParams.get('code'));
        const replay = await browser.request(new URL(form.action, idpPage.url).toString(), { form: form.fields });
        assert.equal(replay.status, 400, 'the same response again finds its sign-in used up');
      } finally {
        samlIdp.tamper(undefined);
        samlIdp.encryptTo(undefined);
      }
    });

    test('SAML IdP-initiated sign-in: refused unless IDPInit, then a code from the RelayState; an assertion signs in once', async () => {
      const poolId = await newPool();
      await samlProvider(poolId, 'Portal', { MetadataFile: samlIdp.metadataXml });
      const clientId = await webClient(poolId, ['Portal']);
      samlIdp.signInAs({ nameId: 'portal-user', attributes: { email: 'portal@corp.example.com' } });
      const relayState = new URLSearchParams({ client_id: clientId, redirect_uri: CALLBACK, response_type: 'code', identity_provider: 'Portal', scope: 'openid email' }).toString();
      const post = async () => {
        gatehouse.clock.set(Date.now());
        const form = await samlIdp.idpInitiated(`urn:amazon:cognito:sp:${poolId}`, `${gatehouse.url}/saml2/idpresponse`, relayState);
        return { form, send: () => new FormClient().request(form.action, { form: form.fields }) };
      };
      const refused = await (await post()).send();
      assert.equal(new URL(refused.location!).searchParams.get('error'), 'invalid_request', 'IDPInit is off');

      await gatehouse.cognito.send(new UpdateIdentityProviderCommand({ UserPoolId: poolId, ProviderName: 'Portal', ProviderDetails: { MetadataFile: samlIdp.metadataXml, IDPInit: 'true' } }));
      const allowed = await post();
      const answered = await allowed.send();
      const id = claimsOf((await tokensFor(clientId, new URL(answered.location!))).id_token);
      assert.equal(id['cognito:username'], 'Portal_portal-user');
      const replayed = await allowed.send();
      assert.match(new URL(replayed.location!).searchParams.get('error_description') ?? '', /used before/);
      // The same assertion twice at once, as a replay racing the real post: one sign-in, one refusal.
      const raced = await post();
      const answers = await Promise.all([raced.send(), raced.send()]);
      const codes = answers.map((page) => new URL(page.location!).searchParams.get('code'));
      assert.equal(codes.filter(Boolean).length, 1, `one of the two is signed in: ${answers.map((page) => page.location).join(' | ')}`);
    });
  });
}
