// The upstream identity providers that federation tests sign in against, exercised the way a relying
// party (Gatehouse's /oauth2/idpresponse) uses them: authorize, exchange the code, verify the ID
// token, read the attributes — and the ways they are made to go wrong.
import assert from 'node:assert/strict';
import { createHash, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createRemoteJWKSet, decodeJwt, decodeProtectedHeader, errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import { browserSkipReason, launchBrowser, withPage } from './support/browser.js';
import { startFakeOAuthProvider, type FakeOAuthProvider, type FakeProviderKind } from './support/fake-oauth-provider.js';
import { FormClient } from './support/form-client.js';
import { startOidcUpstream, type OidcUpstream, type UpstreamAccount } from './support/oidc-upstream.js';

/** Never contacted: the tests stop at the redirect to it. */
const REDIRECT_URI = 'http://127.0.0.1:9/oauth2/idpresponse';

const alice: UpstreamAccount = {
  sub: 'alice-sub',
  claims: {
    email: 'alice@example.com',
    email_verified: true,
    name: 'Alice Liddell',
    given_name: 'Alice',
    family_name: 'Liddell',
    picture: 'https://example.com/alice.png',
    department: 'wonderland',
  },
};
const bob: UpstreamAccount = { sub: 'bob-sub', claims: { email: 'bob@example.com', email_verified: false, name: 'Bob' } };

// --- a relying party's side -------------------------------------------------------------------

interface JsonAnswer {
  status: number;
  body: Record<string, unknown>;
}

const authorizationUrl = (endpoint: string, params: Record<string, string>) => `${endpoint}?${new URLSearchParams(params)}`;

const basicAuthorization = (clientId: string, clientSecret: string) =>
  `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString('base64')}`;

async function jsonAnswer(response: Response): Promise<JsonAnswer> {
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function postForm(url: string, fields: Record<string, string>, authorization?: string): Promise<JsonAnswer> {
  const headers = { 'content-type': 'application/x-www-form-urlencoded', ...(authorization && { authorization }) };
  return jsonAnswer(await fetch(url, { method: 'POST', headers, body: new URLSearchParams(fields) }));
}

async function getJson(url: string, accessToken?: string): Promise<JsonAnswer> {
  return jsonAnswer(await fetch(url, accessToken === undefined ? {} : { headers: { authorization: `Bearer ${accessToken}` } }));
}

/** The parameters of a redirect back to REDIRECT_URI. */
function callbackParams(location: string | null | undefined): Record<string, string> {
  if (!location?.startsWith(`${REDIRECT_URI}?`)) assert.fail(`expected a redirect to the client, got ${location}`);
  return Object.fromEntries(new URL(location).searchParams);
}

const HTML_ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" };

/** A form_post page's form: where it posts and its hidden fields (in either provider's markup). */
function formPostOf(html: string): { action: string; fields: Record<string, string> } {
  const unescape = (text: string) => text.replace(/&(amp|lt|gt|quot|#39);/g, (entity) => HTML_ENTITIES[entity]!);
  const action = /<form method="post" action="([^"]*)"/.exec(html)?.[1];
  assert.ok(action !== undefined, `no form_post form in:\n${html}`);
  const fields = [...html.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)"\/?>/g)].map(([, name, value]) => [unescape(name!), unescape(value!)]);
  return { action: unescape(action), fields: Object.fromEntries(fields) };
}

async function verifyIdToken(idToken: string, expected: { jwksUri: string; issuer: string; audience: string }) {
  const keys = createRemoteJWKSet(new URL(expected.jwksUri));
  return jwtVerify(idToken, keys, { issuer: expected.issuer, audience: expected.audience, algorithms: ['RS256'] });
}

const s256 = (verifier: string) => createHash('sha256').update(verifier).digest('base64url');
const randomToken = () => randomBytes(16).toString('base64url');

// --- oidc-provider ----------------------------------------------------------------------------

describe('the OIDC upstream (oidc-provider)', () => {
  let upstream: OidcUpstream;
  let discovery: Record<string, string>;

  before(async () => {
    upstream = await startOidcUpstream({ redirectUris: [REDIRECT_URI] });
    discovery = (await getJson(`${upstream.issuer}/.well-known/openid-configuration`)).body as Record<string, string>;
  });
  after(() => upstream.close());

  /** Authorizes through the interaction with a cookie jar, as a browser would, up to the redirect to the client. */
  async function authorize(params: Record<string, string>, jar = new FormClient()): Promise<Record<string, string>> {
    const url = authorizationUrl(discovery.authorization_endpoint!, { client_id: upstream.clientId, redirect_uri: REDIRECT_URI, response_type: 'code', ...params });
    const page = await jar.follow(url, REDIRECT_URI);
    return callbackParams(page.location ?? `${page.status}: ${page.body}`);
  }

  function redeem(code: string, extra: Record<string, string> = {}): Promise<JsonAnswer> {
    const fields = { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, ...extra };
    return postForm(discovery.token_endpoint!, fields, basicAuthorization(upstream.clientId, upstream.clientSecret));
  }

  const verify = (idToken: string) => verifyIdToken(idToken, { jwksUri: discovery.jwks_uri!, issuer: upstream.issuer, audience: upstream.clientId });

  it('publishes discovery for its http://127.0.0.1 issuer, with RS256 ID tokens and the standard claims', () => {
    assert.match(upstream.issuer, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(discovery.issuer, upstream.issuer);
    for (const endpoint of ['authorization_endpoint', 'token_endpoint', 'userinfo_endpoint', 'jwks_uri']) assert.ok(discovery[endpoint]!.startsWith(upstream.issuer), endpoint);
    assert.deepEqual(discovery.id_token_signing_alg_values_supported, ['RS256']);
    assert.deepEqual(discovery.token_endpoint_auth_methods_supported, ['client_secret_basic']);
    for (const claim of ['sub', 'email', 'email_verified', 'name', 'given_name', 'family_name', 'picture']) assert.ok(discovery.claims_supported!.includes(claim), claim);
  });

  it('signs the chosen account in without a form, and its ID token and userinfo carry its claims, custom ones too', async () => {
    upstream.signInAs(alice);
    const nonce = randomToken();
    const state = randomToken();
    const callback = await authorize({ scope: 'openid email profile', nonce, state });
    assert.equal(callback.state, state);
    assert.deepEqual(upstream.authorizations.at(-1), {
      client_id: upstream.clientId,
      redirect_uri: REDIRECT_URI,
      response_type: 'code',
      scope: 'openid email profile',
      nonce,
      state,
    });

    const tokens = await redeem(callback.code!);
    assert.equal(tokens.status, 200, JSON.stringify(tokens.body));
    const { payload, protectedHeader } = await verify(String(tokens.body.id_token));
    assert.equal(protectedHeader.alg, 'RS256');
    assert.equal(payload.sub, alice.sub);
    assert.equal(payload.nonce, nonce);
    assert.deepEqual(pick(payload, Object.keys(alice.claims)), alice.claims);

    const userinfo = await getJson(discovery.userinfo_endpoint!, String(tokens.body.access_token));
    assert.equal(userinfo.status, 200);
    assert.deepEqual(userinfo.body, { sub: alice.sub, ...alice.claims });
  });

  it('releases standard claims only for the scopes asked for', async () => {
    upstream.signInAs(alice);
    const { code } = await authorize({ scope: 'openid', nonce: randomToken() });
    const { payload } = await verify(String((await redeem(code!)).body.id_token));
    assert.equal(payload.sub, alice.sub);
    assert.equal(payload.email, undefined);
    assert.equal(payload.name, undefined);
    assert.equal(payload.department, 'wonderland', 'custom claims are released whatever the scope');
  });

  it('signs in as whoever signInAs chose last, even with the cookies of an earlier sign-in', async () => {
    const jar = new FormClient();
    upstream.signInAs(alice);
    const first = await authorize({ scope: 'openid email' }, jar);
    upstream.signInAs(bob);
    const second = await authorize({ scope: 'openid email' }, jar);
    assert.equal(decodeJwt(String((await redeem(first.code!)).body.id_token)).sub, alice.sub);
    const { payload } = await verify(String((await redeem(second.code!)).body.id_token));
    assert.equal(payload.sub, bob.sub);
    assert.equal(payload.email, bob.claims.email);
  });

  it('does not require PKCE, but holds a code to the code_challenge it was issued for', async () => {
    upstream.signInAs(alice);
    const verifier = randomToken() + randomToken();
    const pkce = { code_challenge: s256(verifier), code_challenge_method: 'S256' };
    const wrong = await redeem((await authorize({ scope: 'openid', ...pkce })).code!, { code_verifier: randomToken() + randomToken() });
    assert.equal(wrong.status, 400);
    assert.equal(wrong.body.error, 'invalid_grant');
    const right = await redeem((await authorize({ scope: 'openid', ...pkce })).code!, { code_verifier: verifier });
    assert.equal(right.status, 200, JSON.stringify(right.body));
  });

  it('takes the client secret by client_secret_basic only, as registered', async () => {
    upstream.signInAs(alice);
    const { code } = await authorize({ scope: 'openid' });
    const inBody = await postForm(discovery.token_endpoint!, { grant_type: 'authorization_code', code: code!, redirect_uri: REDIRECT_URI, client_id: upstream.clientId, client_secret: upstream.clientSecret });
    assert.deepEqual([inBody.status, inBody.body.error], [401, 'invalid_client']);
  });

  it('redeems a code once', async () => {
    upstream.signInAs(alice);
    const { code } = await authorize({ scope: 'openid' });
    assert.equal((await redeem(code!)).status, 200);
    const again = await redeem(code!);
    assert.equal(again.status, 400);
    assert.equal(again.body.error, 'invalid_grant');
  });

  it('refuses a redirect_uri that is not registered, without redirecting to it', async () => {
    upstream.signInAs(alice);
    const url = authorizationUrl(discovery.authorization_endpoint!, { client_id: upstream.clientId, redirect_uri: 'http://127.0.0.1:9/elsewhere', response_type: 'code', scope: 'openid' });
    const page = await new FormClient().request(url);
    assert.equal(page.status, 400);
    assert.equal(page.location, undefined);
    assert.equal(JSON.parse(page.body).error, 'invalid_redirect_uri');
  });

  it('cannot finish an interaction for a client that keeps no cookies', async () => {
    upstream.signInAs(alice);
    const url = authorizationUrl(discovery.authorization_endpoint!, { client_id: upstream.clientId, redirect_uri: REDIRECT_URI, response_type: 'code', scope: 'openid' });
    const toInteraction = await fetch(url, { redirect: 'manual' });
    assert.equal(toInteraction.status, 303);
    const interaction = await fetch(new URL(toInteraction.headers.get('location')!, url), { redirect: 'manual' });
    assert.equal(interaction.status, 400);
  });
});

describe('the OIDC upstream with client_secret_post and form_post', () => {
  let upstream: OidcUpstream;

  before(async () => {
    upstream = await startOidcUpstream({
      redirectUris: [REDIRECT_URI],
      clientId: 'post-client',
      clientSecret: 'post-secret',
      tokenEndpointAuthMethod: 'client_secret_post',
      responseModes: ['form_post'],
    });
    upstream.signInAs(alice);
  });
  after(() => upstream.close());

  async function authorize(responseMode: string) {
    const url = authorizationUrl(`${upstream.issuer}/auth`, { client_id: 'post-client', redirect_uri: REDIRECT_URI, response_type: 'code', response_mode: responseMode, scope: 'openid', state: 'xyz' });
    return new FormClient().follow(url, REDIRECT_URI);
  }

  it('posts the code back in a self-submitting form, and takes the client secret in the body', async () => {
    const page = await authorize('form_post');
    assert.equal(page.status, 200);
    const form = formPostOf(page.body);
    assert.equal(form.action, REDIRECT_URI);
    assert.equal(form.fields.state, 'xyz');
    const redeem = (code: string, authorization?: string) =>
      postForm(`${upstream.issuer}/token`, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, ...(!authorization && { client_id: 'post-client', client_secret: 'post-secret' }) }, authorization);
    assert.equal((await redeem(form.fields.code!, basicAuthorization('post-client', 'post-secret'))).body.error, 'invalid_client');
    const fresh = formPostOf((await authorize('form_post')).body);
    const tokens = await redeem(fresh.fields.code!);
    assert.equal(tokens.status, 200, JSON.stringify(tokens.body));
    assert.equal(decodeJwt(String(tokens.body.id_token)).sub, alice.sub);
  });

  it('refuses response modes the client is not registered for', async () => {
    const page = await authorize('query');
    assert.equal(callbackParams(page.location).error, 'invalid_request');
  });
});

describe('the OIDC upstream in a real browser', () => {
  it('goes from the authorize URL back to the redirect URI, by query and by form_post', async (t) => {
    const browser = await launchBrowser();
    if (!browser) return t.skip(browserSkipReason());
    const callbacks: Array<{ method: string; url: string; body: string }> = [];
    const client = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => (body += chunk));
      request.on('end', () => {
        // Not the browser's /favicon.ico requests.
        if (request.url!.startsWith('/oauth2/idpresponse')) callbacks.push({ method: request.method!, url: request.url!, body });
        response.writeHead(200, { 'content-type': 'text/html' }).end('<p>signed in</p>');
      });
    });
    await new Promise<void>((resolve) => client.listen(0, '127.0.0.1', resolve));
    const redirectUri = `http://127.0.0.1:${(client.address() as AddressInfo).port}/oauth2/idpresponse`;
    const upstream = await startOidcUpstream({ redirectUris: [redirectUri] });
    try {
      upstream.signInAs(alice);
      const url = (mode: string) => authorizationUrl(`${upstream.issuer}/auth`, { client_id: upstream.clientId, redirect_uri: redirectUri, response_type: 'code', response_mode: mode, scope: 'openid', state: mode });
      await withPage(browser, async (page) => {
        for (const mode of ['query', 'form_post']) {
          await page.goto(url(mode));
          await page.waitForSelector('text=signed in');
        }
      });
      assert.equal(callbacks.length, 2);
      assert.equal(callbacks[0]!.method, 'GET');
      assert.equal(new URL(callbacks[0]!.url, redirectUri).searchParams.get('state'), 'query');
      assert.equal(callbacks[1]!.method, 'POST');
      assert.equal(new URLSearchParams(callbacks[1]!.body).get('state'), 'form_post');
      assert.ok(new URLSearchParams(callbacks[1]!.body).get('code'));
    } finally {
      await upstream.close();
      await browser.close();
      client.close();
      client.closeAllConnections();
    }
  });
});

// --- the hand-written providers ---------------------------------------------------------------

const CLIENT_ID = 'fake-client';
const CLIENT_SECRET = 'fake-secret';

/** Authorizes at a fake provider (no cookies needed) and returns the redirect's parameters. */
async function authorizeAt(provider: FakeOAuthProvider, params: Record<string, string> = {}): Promise<Record<string, string>> {
  const url = authorizationUrl(provider.endpoints.authorize_url, { client_id: CLIENT_ID, redirect_uri: REDIRECT_URI, response_type: 'code', ...params });
  const response = await fetch(url, { redirect: 'manual' });
  assert.equal(response.status, 302, await response.clone().text());
  return callbackParams(response.headers.get('location'));
}

function redeemAt(provider: FakeOAuthProvider, code: string, fields: Record<string, string> = {}): Promise<JsonAnswer> {
  return postForm(provider.endpoints.token_url, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, client_id: CLIENT_ID, client_secret: CLIENT_SECRET, ...fields });
}

async function startFake(kind: FakeProviderKind): Promise<FakeOAuthProvider> {
  const provider = await startFakeOAuthProvider(kind, { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET });
  provider.signInAs({ id: `${kind}-user`, claims: { email: `${kind}@example.com`, name: `A ${kind} user`, picture: 'https://example.com/p.png' } });
  return provider;
}

describe('the fake OIDC provider', () => {
  let provider: FakeOAuthProvider;
  before(async () => (provider = await startFake('oidc')));
  after(() => provider.close());

  /** A full sign-in up to the token response. */
  async function tokens(params: Record<string, string> = {}): Promise<JsonAnswer> {
    const { code } = await authorizeAt(provider, { scope: 'openid email', ...params });
    return redeemAt(provider, code!);
  }

  const verify = (idToken: string) => verifyIdToken(idToken, { jwksUri: provider.endpoints.jwks_uri!, issuer: provider.url, audience: CLIENT_ID });

  it('publishes discovery and its endpoints in ProviderDetails vocabulary', async () => {
    const { body } = await getJson(`${provider.url}/.well-known/openid-configuration`);
    assert.deepEqual(
      [body.issuer, body.authorization_endpoint, body.token_endpoint, body.userinfo_endpoint, body.jwks_uri],
      [provider.endpoints.oidc_issuer, provider.endpoints.authorize_url, provider.endpoints.token_url, provider.endpoints.attributes_url, provider.endpoints.jwks_uri],
    );
    assert.equal(provider.endpoints.oidc_issuer, provider.url);
  });

  it('signs in: code and state back, a verifiable RS256 ID token with the nonce, userinfo by Bearer', async () => {
    const { code, state } = await authorizeAt(provider, { scope: 'openid', state: 's1', nonce: 'n1' });
    assert.equal(state, 's1');
    const answer = await redeemAt(provider, code!);
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    assert.deepEqual(pick(answer.body, ['token_type', 'expires_in']), { token_type: 'Bearer', expires_in: 3600 });
    const { payload } = await verify(String(answer.body.id_token));
    assert.deepEqual(pick(payload, ['sub', 'nonce', 'email', 'name']), { sub: 'oidc-user', nonce: 'n1', email: 'oidc@example.com', name: 'A oidc user' });
    const userinfo = await getJson(provider.endpoints.attributes_url!, String(answer.body.access_token));
    assert.deepEqual(userinfo.body, { sub: 'oidc-user', email: 'oidc@example.com', name: 'A oidc user', picture: 'https://example.com/p.png' });
    const [authorization, token, attributes] = withoutKeyFetches(provider).slice(-3);
    assert.deepEqual([authorization, token, attributes].map((request) => [request!.endpoint, request!.method]), [['authorize', 'GET'], ['token', 'POST'], ['attributes', 'GET']]);
    assert.equal(authorization!.query.nonce, 'n1');
    assert.equal(token!.body.code, code);
  });

  it('authenticates the client by Basic or in the body, and refuses a wrong secret', async () => {
    const { code } = await authorizeAt(provider);
    const basic = await postForm(provider.endpoints.token_url, { grant_type: 'authorization_code', code: code!, redirect_uri: REDIRECT_URI }, basicAuthorization(CLIENT_ID, CLIENT_SECRET));
    assert.equal(basic.status, 200, JSON.stringify(basic.body));
    const wrong = await redeemAt(provider, (await authorizeAt(provider)).code!, { client_secret: 'not-it' });
    assert.deepEqual([wrong.status, wrong.body.error], [401, 'invalid_client']);
  });

  it('refuses a code twice, for another redirect_uri, or without its PKCE verifier', async () => {
    const { code } = await authorizeAt(provider);
    assert.equal((await redeemAt(provider, code!)).status, 200);
    assert.equal((await redeemAt(provider, code!)).body.error, 'invalid_grant');
    assert.equal((await redeemAt(provider, (await authorizeAt(provider)).code!, { redirect_uri: 'http://127.0.0.1:9/other' })).body.error, 'invalid_grant');
    const verifier = randomToken() + randomToken();
    const pkce = { code_challenge: s256(verifier), code_challenge_method: 'S256' };
    assert.equal((await redeemAt(provider, (await authorizeAt(provider, pkce)).code!)).body.error, 'invalid_grant');
    assert.equal((await redeemAt(provider, (await authorizeAt(provider, pkce)).code!, { code_verifier: verifier })).status, 200);
  });

  it('refuses an unknown client or a missing redirect_uri at authorize, without redirecting', async () => {
    const unknown = await fetch(authorizationUrl(provider.endpoints.authorize_url, { client_id: 'someone-else', redirect_uri: REDIRECT_URI, response_type: 'code' }), { redirect: 'manual' });
    assert.deepEqual([unknown.status, unknown.headers.get('location')], [400, null]);
    const noRedirect = await fetch(authorizationUrl(provider.endpoints.authorize_url, { client_id: CLIENT_ID, response_type: 'code' }), { redirect: 'manual' });
    assert.deepEqual([noRedirect.status, noRedirect.headers.get('location')], [400, null]);
  });

  it('refuses an unknown access token at userinfo', async () => {
    const answer = await getJson(provider.endpoints.attributes_url!, 'not-a-token');
    assert.deepEqual([answer.status, answer.body.error], [401, 'invalid_token']);
  });

  describe('tampered token responses', () => {
    after(() => provider.tamper(undefined));

    it('an ID token for another audience', async () => {
      provider.tamper({ audience: 'someone-else' });
      await assertRejects(verify(String((await tokens()).body.id_token)), joseErrors.JWTClaimValidationFailed, 'aud');
    });

    it('an expired ID token', async () => {
      provider.tamper({ expired: true });
      const idToken = String((await tokens()).body.id_token);
      await assert.rejects(verify(idToken), joseErrors.JWTExpired);
      assert.ok(decodeJwt(idToken).exp! < Date.now() / 1000);
    });

    it('an ID token whose signature does not verify', async () => {
      provider.tamper({ breakSignature: true });
      await assert.rejects(verify(String((await tokens()).body.id_token)), joseErrors.JWSSignatureVerificationFailed);
    });

    it('an ID token from another issuer', async () => {
      provider.tamper({ issuer: 'https://evil.example.com' });
      await assertRejects(verify(String((await tokens()).body.id_token)), joseErrors.JWTClaimValidationFailed, 'iss');
    });

    it('an ID token with another nonce than the request', async () => {
      provider.tamper({ nonce: 'replayed' });
      const { payload } = await verify(String((await tokens({ nonce: 'fresh' })).body.id_token));
      assert.equal(payload.nonce, 'replayed');
    });

    it('an OAuth error instead of tokens', async () => {
      provider.tamper({ tokenError: 'invalid_grant' });
      const answer = await tokens();
      assert.deepEqual([answer.status, answer.body.error, answer.body.id_token], [400, 'invalid_grant', undefined]);
    });

    it('a good ID token again once reset', async () => {
      provider.tamper({ breakSignature: true, audience: 'x', expired: true });
      provider.tamper(undefined);
      const { payload } = await verify(String((await tokens({ nonce: 'n2' })).body.id_token));
      assert.equal(payload.nonce, 'n2');
    });
  });
});

describe('the fake Facebook', () => {
  let provider: FakeOAuthProvider;
  before(async () => (provider = await startFake('facebook')));
  after(() => provider.close());

  /** Facebook's token exchange: a GET with everything in the query. */
  async function exchangeByGet(code: string): Promise<JsonAnswer> {
    return jsonAnswer(await fetch(authorizationUrl(provider.endpoints.token_url, { client_id: CLIENT_ID, client_secret: CLIENT_SECRET, redirect_uri: REDIRECT_URI, code })));
  }

  it('names its endpoints as Cognito does: fields appended to attributes_url, token by GET', () => {
    assert.equal(provider.endpoints.attributes_url, `${provider.url}/me?fields=`);
    assert.equal(provider.endpoints.attributes_url_add_attributes, 'true');
    assert.equal(provider.endpoints.token_request_method, 'GET');
    assert.equal(provider.endpoints.jwks_uri, undefined);
  });

  it('exchanges the code by GET, without an ID token, and answers the fields asked for at /me', async () => {
    const { code } = await authorizeAt(provider, { scope: 'public_profile,email', state: 'fb' });
    const tokens = await exchangeByGet(code!);
    assert.equal(tokens.status, 200, JSON.stringify(tokens.body));
    assert.equal(tokens.body.id_token, undefined);
    assert.deepEqual(provider.requests.at(-1)!.query, { client_id: CLIENT_ID, client_secret: CLIENT_SECRET, redirect_uri: REDIRECT_URI, code });
    const accessToken = String(tokens.body.access_token);

    const inQuery = await getJson(`${provider.endpoints.attributes_url}id,name,email&access_token=${accessToken}`);
    assert.deepEqual(inQuery.body, { id: 'facebook-user', name: 'A facebook user', email: 'facebook@example.com' });
    const byBearer = await getJson(`${provider.endpoints.attributes_url}id,picture`, accessToken);
    assert.deepEqual(byBearer.body, { id: 'facebook-user', picture: 'https://example.com/p.png' });
    const noFields = await getJson(`${provider.url}/me`, accessToken);
    assert.deepEqual(noFields.body, { id: 'facebook-user', name: 'A facebook user' });
  });

  it('refuses a POSTed token exchange, and answers errors in Graph API shape', async () => {
    const posted = await redeemAt(provider, (await authorizeAt(provider)).code!);
    assert.equal(posted.status, 405);
    assert.equal((posted.body.error as { type: string }).type, 'OAuthException');
    const badToken = await getJson(`${provider.endpoints.attributes_url}id&access_token=nope`);
    assert.deepEqual(pick(badToken.body.error as Record<string, unknown>, ['type', 'code']), { type: 'OAuthException', code: 190 });
  });
});

describe('the fake Login with Amazon', () => {
  let provider: FakeOAuthProvider;
  before(async () => (provider = await startFake('amazon')));
  after(() => provider.close());

  it('exchanges the code by POST with Basic client auth, and answers the profile with user_id', async () => {
    assert.equal(new URL(provider.endpoints.attributes_url!).pathname, '/user/profile');
    const { code } = await authorizeAt(provider, { scope: 'profile' });
    const tokens = await postForm(provider.endpoints.token_url, { grant_type: 'authorization_code', code: code!, redirect_uri: REDIRECT_URI }, basicAuthorization(CLIENT_ID, CLIENT_SECRET));
    assert.equal(tokens.status, 200, JSON.stringify(tokens.body));
    assert.equal(tokens.body.id_token, undefined);
    assert.equal(provider.requests.at(-1)!.authorization, basicAuthorization(CLIENT_ID, CLIENT_SECRET));
    const profile = await getJson(provider.endpoints.attributes_url!, String(tokens.body.access_token));
    assert.deepEqual(profile.body, { user_id: 'amazon-user', email: 'amazon@example.com', name: 'A amazon user', picture: 'https://example.com/p.png' });
  });

  it('takes the access token only as a Bearer header', async () => {
    const { body } = await redeemAt(provider, (await authorizeAt(provider)).code!);
    const answer = await getJson(`${provider.endpoints.attributes_url}?access_token=${String(body.access_token)}`);
    assert.equal(answer.status, 401);
  });
});

describe('the fake Sign in with Apple', () => {
  const TEAM_ID = 'TEAM123456';
  const KEY_ID = 'KEY1234567';
  const appleKey = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  let provider: FakeOAuthProvider;
  before(async () => {
    provider = await startFakeOAuthProvider('apple', {
      clientId: CLIENT_ID,
      applePublicKeyPem: appleKey.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      appleTeamId: TEAM_ID,
      appleKeyId: KEY_ID,
    });
    provider.signInAs({ id: 'apple-user', claims: { email: 'relay@privaterelay.appleid.com', email_verified: 'true', is_private_email: 'true', name: { firstName: 'Ann', lastName: 'Lee' } } });
  });
  after(() => provider.close());

  /** The client_secret a client makes for Apple: an ES256 JWT signed with its Sign in with Apple key. */
  function clientSecret(overrides: { key?: KeyObject; kid?: string; iss?: string; sub?: string; aud?: string; expiresIn?: number } = {}): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({})
      .setProtectedHeader({ alg: 'ES256', kid: overrides.kid ?? KEY_ID })
      .setIssuer(overrides.iss ?? TEAM_ID)
      .setSubject(overrides.sub ?? CLIENT_ID)
      .setAudience(overrides.aud ?? 'https://appleid.apple.com')
      .setIssuedAt(now - 60)
      .setExpirationTime(now + (overrides.expiresIn ?? 300))
      .sign(overrides.key ?? appleKey.privateKey);
  }

  async function formPostFrom(params: Record<string, string>) {
    const url = authorizationUrl(provider.endpoints.authorize_url, { client_id: CLIENT_ID, redirect_uri: REDIRECT_URI, response_mode: 'form_post', scope: 'name email', state: 'ap', ...params });
    const response = await fetch(url, { redirect: 'manual' });
    assert.equal(response.status, 200);
    return formPostOf(await response.text());
  }

  it('has no attributes_url: the attributes are in the ID token', () => {
    assert.equal(provider.endpoints.attributes_url, undefined);
    assert.equal(provider.endpoints.oidc_issuer, provider.url);
  });

  it('posts code, state and the name (in `user`) back by form_post; the ID token comes from the token endpoint', async () => {
    const form = await formPostFrom({ response_type: 'code', nonce: 'apple-nonce' });
    assert.equal(form.action, REDIRECT_URI);
    assert.equal(form.fields.state, 'ap');
    assert.equal(form.fields.id_token, undefined);
    assert.deepEqual(JSON.parse(form.fields.user!), { name: { firstName: 'Ann', lastName: 'Lee' }, email: 'relay@privaterelay.appleid.com' });

    const tokens = await postForm(provider.endpoints.token_url, { grant_type: 'authorization_code', code: form.fields.code!, redirect_uri: REDIRECT_URI, client_id: CLIENT_ID, client_secret: await clientSecret() });
    assert.equal(tokens.status, 200, JSON.stringify(tokens.body));
    const { payload } = await verifyIdToken(String(tokens.body.id_token), { jwksUri: provider.endpoints.jwks_uri!, issuer: provider.url, audience: CLIENT_ID });
    assert.deepEqual(pick(payload, ['sub', 'nonce', 'email', 'email_verified', 'is_private_email']), {
      sub: 'apple-user',
      nonce: 'apple-nonce',
      email: 'relay@privaterelay.appleid.com',
      email_verified: 'true',
      is_private_email: 'true',
    });
    assert.equal(payload.name, undefined, 'Apple never puts the name in an ID token');
    const { client_secret } = withoutKeyFetches(provider).at(-1)!.body;
    assert.deepEqual(pick(decodeProtectedHeader(client_secret!), ['alg', 'kid']), { alg: 'ES256', kid: KEY_ID });
  });

  it('adds the ID token to the form_post for response_type "code id_token"', async () => {
    const form = await formPostFrom({ response_type: 'code id_token', nonce: 'n' });
    assert.equal(decodeJwt(form.fields.id_token!).nonce, 'n');
  });

  it('refuses a client_secret signed by another key, for another audience, of another team or key, or expired', async () => {
    const otherKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    const badSecrets = {
      'another key': await clientSecret({ key: otherKey }),
      'another audience': await clientSecret({ aud: 'https://example.com' }),
      'another team': await clientSecret({ iss: 'OTHERTEAM1' }),
      'another key ID': await clientSecret({ kid: 'OTHERKEY12' }),
      'another client': await clientSecret({ sub: 'other-client' }),
      expired: await clientSecret({ expiresIn: -60 }),
      'not a JWT': CLIENT_SECRET,
    };
    for (const [why, secret] of Object.entries(badSecrets)) {
      const form = await formPostFrom({ response_type: 'code' });
      const answer = await postForm(provider.endpoints.token_url, { grant_type: 'authorization_code', code: form.fields.code!, redirect_uri: REDIRECT_URI, client_id: CLIENT_ID, client_secret: secret });
      assert.deepEqual([answer.status, answer.body.error], [401, 'invalid_client'], why);
    }
  });
});

// --- helpers ----------------------------------------------------------------------------------

/** The requests a provider received but those of jose's key set. */
const withoutKeyFetches = (provider: FakeOAuthProvider) => provider.requests.filter((request) => request.endpoint !== 'jwks');

function pick(record: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.filter((key) => key in record).map((key) => [key, record[key]]));
}

/** Rejects with a jose claim validation error about `claim`. */
async function assertRejects(promise: Promise<unknown>, errorClass: typeof joseErrors.JWTClaimValidationFailed, claim: string): Promise<void> {
  await assert.rejects(promise, (error) => error instanceof errorClass && error.claim === claim);
}
