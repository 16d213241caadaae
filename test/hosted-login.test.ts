// Issue 18: the managed login and the authorization code flow, driven the way apps drive Cognito's:
// openid-client as the relying party (discovery, code + PKCE, userInfo, refresh, revocation) and a
// cookie-jar script posting the classic login form (username, password, _csrf from XSRF-TOKEN).
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { after, before, describe, test } from 'node:test';
import {
  AdminCreateUserCommand,
  AdminDisableUserCommand,
  AdminSetUserPasswordCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  CreateUserPoolDomainCommand,
  GetUserCommand,
  type CreateUserPoolClientCommandInput,
  type LambdaConfigType,
} from '@aws-sdk/client-cognito-identity-provider';
import * as oidc from 'openid-client';
import { FormClient, type PageResponse } from './support/form-client.js';
import { backends, startTestGatehouse, type TestGatehouse } from './support/gatehouse.js';
import { startGatehouseWithLambda, type LambdaServer } from './support/lambda-server.js';

const CALLBACK = 'https://app.example.com/callback';
const PASSWORD = 'Password1!';
const claimsOf = (token: string): Record<string, any> => JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8'));

for (const backend of backends()) {
  describe(`managed login and the authorization code flow (${backend})`, () => {
    let gatehouse: TestGatehouse;
    let lambda: LambdaServer;
    let stop: () => Promise<void>;
    let poolId: string;
    let counter = 0;

    before(async () => {
      ({ gatehouse, lambda, stop } = await startGatehouseWithLambda(backend));
      poolId = await newPool();
    });
    after(() => stop());

    async function newPool(LambdaConfig?: LambdaConfigType): Promise<string> {
      return (await gatehouse.cognito.send(new CreateUserPoolCommand({ PoolName: `hosted-${++counter}`, LambdaConfig }))).UserPool!.Id!;
    }

    async function webClient(extra: Partial<CreateUserPoolClientCommandInput> = {}, pool = poolId) {
      return (
        await gatehouse.cognito.send(
          new CreateUserPoolClientCommand({
            UserPoolId: pool,
            ClientName: `web-${++counter}`,
            AllowedOAuthFlowsUserPoolClient: true,
            AllowedOAuthFlows: ['code', 'implicit'],
            AllowedOAuthScopes: ['openid', 'email', 'profile', 'aws.cognito.signin.user.admin'],
            CallbackURLs: [CALLBACK],
            LogoutURLs: ['https://app.example.com/signed-out'],
            ...extra,
          }),
        )
      ).UserPoolClient!;
    }

    async function user(name: string, pool = poolId): Promise<string> {
      await gatehouse.cognito.send(
        new AdminCreateUserCommand({ UserPoolId: pool, Username: name, MessageAction: 'SUPPRESS', UserAttributes: [{ Name: 'email', Value: `${name}@example.com` }, { Name: 'email_verified', Value: 'true' }] }),
      );
      await gatehouse.cognito.send(new AdminSetUserPasswordCommand({ UserPoolId: pool, Username: name, Password: PASSWORD, Permanent: true }));
      return name;
    }

    const relyingParty = (clientId: string, pool = poolId) =>
      oidc.discovery(new URL(`${gatehouse.url}/${pool}`), clientId, undefined, oidc.None(), { execute: [oidc.allowInsecureRequests] });

    /** The browser's part: authorize, the login form, and the redirect back (not followed: it is the app's). */
    async function signInThroughForm(browser: FormClient, authorizeUrl: string, username: string, password = PASSWORD): Promise<PageResponse> {
      const login = await browser.follow(authorizeUrl, CALLBACK);
      assert.equal(login.status, 200, login.body);
      assert.match(login.body, /name="username"/);
      assert.ok(browser.cookie('XSRF-TOKEN'), 'the form is bound to the XSRF-TOKEN cookie');
      return browser.submit(login, { username, password });
    }

    test('authorization code with PKCE through openid-client; ID token with nonce and at_hash; userInfo; refresh keeps the scopes; revocation', async () => {
      const client = await webClient();
      const name = await user(`ada${counter}`);
      const config = await relyingParty(client.ClientId!);
      const verifier = oidc.randomPKCECodeVerifier();
      const nonce = oidc.randomNonce();
      const state = oidc.randomState();
      const authorizeUrl = oidc.buildAuthorizationUrl(config, {
        redirect_uri: CALLBACK,
        scope: 'openid email profile aws.cognito.signin.user.admin',
        code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        nonce,
        state,
      });
      assert.equal(authorizeUrl.origin + authorizeUrl.pathname, `${gatehouse.url}/oauth2/authorize`);
      const back = await signInThroughForm(new FormClient(), authorizeUrl.href, name);
      assert.equal(back.status, 302);
      assert.ok(back.location!.startsWith(`${CALLBACK}?code=`), back.location);
      const tokens = await oidc.authorizationCodeGrant(config, new URL(back.location!), { pkceCodeVerifier: verifier, expectedNonce: nonce, expectedState: state });
      const id = tokens.claims()!;
      assert.equal(id['cognito:username'], name);
      assert.equal(id.nonce, nonce);
      assert.equal(id.email, `${name}@example.com`);
      const access = claimsOf(tokens.access_token);
      assert.equal(access.scope, 'openid email profile aws.cognito.signin.user.admin');
      assert.equal(access.version, 2);
      assert.ok(tokens.refresh_token);
      const info = await oidc.fetchUserInfo(config, tokens.access_token, id.sub);
      assert.equal(info.email, `${name}@example.com`);
      assert.equal(info.username, name);
      // The admin scope lets the token call the user's own API operations.
      assert.equal((await gatehouse.cognito.send(new GetUserCommand({ AccessToken: tokens.access_token }))).Username, name);
      const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token!);
      assert.equal(claimsOf(refreshed.access_token).scope, access.scope);
      assert.equal(claimsOf(refreshed.id_token!).nonce, undefined, 'a refresh does not repeat the nonce');
      await oidc.tokenRevocation(config, tokens.refresh_token!);
      await assert.rejects(oidc.refreshTokenGrant(config, tokens.refresh_token!), (error: any) => error.error === 'invalid_grant');
    });

    test('a code answers once, to its own redirect_uri and verifier; a token without the admin scope cannot call GetUser', async () => {
      const client = await webClient({ AllowedOAuthScopes: ['openid', 'email'] });
      const name = await user(`bob${counter}`);
      const config = await relyingParty(client.ClientId!);
      const verifier = oidc.randomPKCECodeVerifier();
      const authorizeUrl = oidc.buildAuthorizationUrl(config, {
        redirect_uri: CALLBACK,
        scope: 'openid email',
        code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
      }).href;
      const browser = new FormClient();
      const codeOf = (page: PageResponse) => new URL(page.location!).searchParams.get('code')!;
      const redeem = (code: string, extra: Record<string, string>) =>
        fetch(`${gatehouse.url}/oauth2/token`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ grant_type: 'authorization_code', client_id: client.ClientId!, code, redirect_uri: CALLBACK, ...extra }),
        });
      const first = codeOf(await signInThroughForm(browser, authorizeUrl, name));
      const wrongVerifier = await redeem(first, { code_verifier: oidc.randomPKCECodeVerifier() });
      assert.deepEqual([wrongVerifier.status, await wrongVerifier.json()], [400, { error: 'invalid_grant' }]);
      // Signed in already: the next authorize goes straight back with a code, no login page.
      const again = await browser.request(authorizeUrl);
      assert.ok(again.location!.startsWith(`${CALLBACK}?code=`));
      const otherRedirect = await redeem(codeOf(again), { code_verifier: verifier, redirect_uri: 'https://app.example.com/other' });
      assert.deepEqual(await otherRedirect.json(), { error: 'invalid_grant' });
      const third = codeOf(await browser.request(authorizeUrl));
      const good = await redeem(third, { code_verifier: verifier });
      assert.equal(good.status, 200);
      const tokens = (await good.json()) as { access_token: string };
      const reused = await redeem(third, { code_verifier: verifier });
      assert.deepEqual([reused.status, await reused.json()], [400, { error: 'invalid_grant' }], 'a code answers once');
      // Parallel redemptions of one code, as a double-submitting app makes them: exactly one gets tokens.
      const raced = codeOf(await browser.request(authorizeUrl));
      const statuses = await Promise.all(Array.from({ length: 6 }, () => redeem(raced, { code_verifier: verifier }).then((response) => response.status)));
      assert.deepEqual(statuses.filter((status) => status === 200).length, 1, JSON.stringify(statuses));
      const refused = await gatehouse.cognito.send(new GetUserCommand({ AccessToken: tokens.access_token })).catch((error: Error) => error);
      assert.deepEqual([(refused as Error).name, (refused as Error).message], ['NotAuthorizedException', 'Access Token does not have required scopes']);
    });

    test('a bad client or redirect URI shows the error page and never redirects; other errors go back to the app', async () => {
      const client = await webClient({ AllowedOAuthScopes: ['openid'] });
      const browser = new FormClient();
      const base = `${gatehouse.url}/oauth2/authorize?response_type=code&client_id=${client.ClientId}`;
      const unregistered = await browser.request(`${base}&redirect_uri=${encodeURIComponent('https://evil.example.com/cb')}`);
      assert.equal(unregistered.status, 400);
      assert.equal(unregistered.location, undefined);
      assert.match(unregistered.body, /An error was encountered with the requested page/);
      const unknownClient = await browser.request(`${gatehouse.url}/oauth2/authorize?response_type=code&client_id=nosuchclient&redirect_uri=${encodeURIComponent(CALLBACK)}`);
      assert.equal(unknownClient.status, 400);
      const scope = await browser.request(`${base}&redirect_uri=${encodeURIComponent(CALLBACK)}&scope=email&state=s1`);
      assert.equal(scope.location, `${CALLBACK}?error=invalid_scope&state=s1`);
      const plain = await browser.request(`${base}&redirect_uri=${encodeURIComponent(CALLBACK)}&code_challenge=abc&code_challenge_method=plain`);
      assert.equal(new URL(plain.location!).searchParams.get('error'), 'invalid_request');
      const badLogout = await browser.request(`${gatehouse.url}/logout?client_id=${client.ClientId}&logout_uri=${encodeURIComponent('https://evil.example.com')}`);
      assert.deepEqual([badLogout.status, badLogout.location], [400, undefined]);
    });

    test('on a domain\'s host name the pages serve that domain\'s pool only', async () => {
      const prefix = `pages-${++counter}`;
      await gatehouse.cognito.send(new CreateUserPoolDomainCommand({ UserPoolId: poolId, Domain: prefix }));
      const mine = await webClient();
      const theirs = await webClient({}, await newPool());
      const port = new URL(gatehouse.url).port;
      const get = (path: string) =>
        new Promise<{ status: number; location?: string }>((resolve, reject) => {
          const request = httpRequest({ host: '127.0.0.1', port, path, headers: { host: `${prefix}.auth.localhost:${port}` } }, (response) => {
            response.resume();
            resolve({ status: response.statusCode!, ...(response.headers.location && { location: response.headers.location }) });
          });
          request.on('error', reject);
          request.end();
        });
      const authorize = (clientId: string) => get(`/oauth2/authorize?response_type=code&client_id=${clientId}&redirect_uri=${encodeURIComponent(CALLBACK)}`);
      const own = await authorize(mine.ClientId!);
      assert.equal(own.status, 302);
      assert.match(own.location!, /^\/login\?/);
      assert.deepEqual(await authorize(theirs.ClientId!), { status: 400 }, 'a client of another pool gets the error page, no redirect');
    });

    test('the form refuses a missing CSRF token, wrong passwords without telling who exists, and a disabled user', async () => {
      const client = await webClient();
      const name = await user(`cy${counter}`);
      const authorizeUrl = `${gatehouse.url}/oauth2/authorize?response_type=code&client_id=${client.ClientId}&redirect_uri=${encodeURIComponent(CALLBACK)}`;
      const browser = new FormClient();
      const login = await browser.follow(authorizeUrl, CALLBACK);
      const forged = await browser.request(new URL(/action="([^"]*)"/.exec(login.body)![1]!.replaceAll('&amp;', '&'), login.url).href, { form: { username: name, password: PASSWORD, _csrf: 'forged'.padEnd(43, 'x') } });
      assert.equal(forged.location, undefined);
      assert.match(forged.body, /expired/);
      const wrong = await signInThroughForm(browser, authorizeUrl, name, 'Wrong-password1');
      const unknown = await signInThroughForm(browser, authorizeUrl, 'nobody-here', 'Wrong-password1');
      assert.match(wrong.body, /Incorrect username or password\./);
      assert.match(unknown.body, /Incorrect username or password\./);
      await gatehouse.cognito.send(new AdminDisableUserCommand({ UserPoolId: poolId, Username: name }));
      const disabled = await signInThroughForm(browser, authorizeUrl, name);
      assert.equal(disabled.location, undefined);
      assert.match(disabled.body, /User is disabled\./);
      assert.match(login.body, /<input type="hidden" name="_csrf"/);
    });

    test('implicit grant: tokens in the fragment, no refresh token; logout clears the session and goes to a registered URL', async () => {
      const client = await webClient();
      const name = await user(`di${counter}`);
      const browser = new FormClient();
      const back = await signInThroughForm(browser, `${gatehouse.url}/oauth2/authorize?response_type=token&client_id=${client.ClientId}&redirect_uri=${encodeURIComponent(CALLBACK)}&scope=openid&state=xyz`, name);
      const fragment = new URLSearchParams(new URL(back.location!).hash.slice(1));
      assert.equal(claimsOf(fragment.get('id_token')!)['cognito:username'], name);
      assert.equal(fragment.get('token_type'), 'Bearer');
      assert.equal(fragment.get('state'), 'xyz');
      assert.equal(fragment.get('refresh_token'), null);
      assert.ok(browser.cookie('cognito'));
      const out = await browser.request(`${gatehouse.url}/logout?client_id=${client.ClientId}&logout_uri=${encodeURIComponent('https://app.example.com/signed-out')}`);
      assert.equal(out.location, 'https://app.example.com/signed-out');
      assert.equal(browser.cookie('cognito'), undefined);
      const relogin = await browser.follow(`${gatehouse.url}/oauth2/authorize?response_type=code&client_id=${client.ClientId}&redirect_uri=${encodeURIComponent(CALLBACK)}`, CALLBACK);
      assert.match(relogin.body, /name="password"/, 'signed out: the login page again');
    });

    test('the triggers run on the pages: PreAuthentication, and TokenGeneration_HostedAuth at the token endpoint', async () => {
      const arn = (name: string) => `arn:aws:lambda:us-east-1:123456789012:function:${name}`;
      const tag = `hosted-${++counter}`;
      lambda.register(`${tag}-pre`, (event: any) => {
        if (event.userName === 'blocked') throw new Error('Not today.');
        return event;
      });
      lambda.register(`${tag}-token`, (event: any) => ({ ...event, response: { claimsOverrideDetails: { claimsToAddOrOverride: { via: event.triggerSource } } } }));
      const pool = await newPool({ PreAuthentication: arn(`${tag}-pre`), PreTokenGeneration: arn(`${tag}-token`) });
      const client = await webClient({}, pool);
      await user('blocked', pool);
      const name = await user('allowed', pool);
      const authorizeUrl = `${gatehouse.url}/oauth2/authorize?response_type=code&client_id=${client.ClientId}&redirect_uri=${encodeURIComponent(CALLBACK)}&scope=openid`;
      const refused = await signInThroughForm(new FormClient(), authorizeUrl, 'blocked');
      const error = new URL(refused.location!);
      assert.equal(error.searchParams.get('error_description'), 'PreAuthentication failed with error Not today..');
      const back = await signInThroughForm(new FormClient(), authorizeUrl, name);
      const config = await relyingParty(client.ClientId!, pool);
      const tokens = await oidc.authorizationCodeGrant(config, new URL(back.location!), { idTokenExpected: true });
      assert.equal(tokens.claims()!.via, 'TokenGeneration_HostedAuth');
    });
  });
}

describe('managed login pages under rate limits', () => {
  let gatehouse: TestGatehouse;
  before(async () => {
    gatehouse = await startTestGatehouse('sqlite', { rateLimits: { perPoolPerOperation: 0, operations: { InitiateAuth: 1, SignUp: 1 } } });
  });
  after(() => gatehouse.stop());

  test('the sign-in and sign-up forms count against InitiateAuth and SignUp, as the API calls do', async () => {
    const poolId = (await gatehouse.cognito.send(new CreateUserPoolCommand({ PoolName: 'limited' }))).UserPool!.Id!;
    const client = await gatehouse.cognito.send(
      new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'web', AllowedOAuthFlowsUserPoolClient: true, AllowedOAuthFlows: ['code'], AllowedOAuthScopes: ['openid'], CallbackURLs: [CALLBACK] }),
    );
    const query = `response_type=code&client_id=${client.UserPoolClient!.ClientId}&redirect_uri=${encodeURIComponent(CALLBACK)}`;
    const browser = new FormClient();
    const login = await browser.follow(`${gatehouse.url}/oauth2/authorize?${query}`, CALLBACK);
    const first = await browser.submit(login, { username: 'someone', password: 'Wrong-password1' });
    assert.match(first.body, /Incorrect username or password\./);
    const second = await browser.submit(login, { username: 'someone', password: 'Wrong-password1' });
    assert.match(second.body, /Rate exceeded/);
    const signUp = await browser.request(`${gatehouse.url}/signup?${query}`);
    await browser.submit(signUp, { username: 'new-user', password: PASSWORD });
    const again = await browser.submit(signUp, { username: 'other-user', password: PASSWORD });
    assert.match(again.body, /Rate exceeded/);
  });
});
