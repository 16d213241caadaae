// An upstream OpenID Connect provider for federation tests: panva's oidc-provider (OpenID Certified)
// on 127.0.0.1, so Gatehouse's /oauth2/idpresponse is tested against a real implementation of the
// protocol rather than against our own reading of it.
//
// There is no login form: every authorization signs in as the account last given to signInAs and is
// granted every scope it asks for. oidc-provider still runs its interaction round trip
// (/auth -> /interaction/:uid -> /auth/:uid -> redirect_uri), tied together by its cookies, so the
// client must keep cookies (FormClient does; so does a browser).
import type { CreateIdentityProviderCommandInput } from '@aws-sdk/client-cognito-identity-provider';
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import Provider, { type Account, type ClaimsMask, type Configuration, type Interaction } from 'oidc-provider';
import MemoryAdapter from 'oidc-provider/lib/adapters/memory_adapter.js';

export interface UpstreamAccount {
  sub: string;
  /** Standard claims (email, email_verified, name, given_name, family_name, picture, ...) and custom ones. */
  claims: Record<string, unknown>;
}

export interface OidcUpstream {
  /** http://127.0.0.1:port (no trailing slash); discovery at `${issuer}/.well-known/openid-configuration`. */
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Who the next authorization signs in as (no login form: interactions complete automatically for this account and grant every requested scope and claim). */
  signInAs(account: UpstreamAccount): void;
  /** Authorization requests received (their query parameters), newest last — lets tests assert nonce, state, scope, PKCE, redirect_uri that Gatehouse sent. */
  readonly authorizations: Array<Record<string, string>>;
  close(): Promise<void>;
}

/**
 * CreateIdentityProvider's input that registers the upstream in a pool as the OIDC provider `Corp`,
 * asking for `scopes` and mapping the claims given (email alone by default).
 */
export function corpProviderInput(upstream: OidcUpstream, poolId: string, scopes = 'openid email', mapping: Record<string, string> = { email: 'email' }): CreateIdentityProviderCommandInput {
  return {
    UserPoolId: poolId,
    ProviderName: 'Corp',
    ProviderType: 'OIDC',
    ProviderDetails: { client_id: upstream.clientId, client_secret: upstream.clientSecret, oidc_issuer: upstream.issuer, authorize_scopes: scopes, attributes_request_method: 'GET' },
    AttributeMapping: mapping,
  };
}

export type ClientAuthMethod = 'client_secret_basic' | 'client_secret_post';

export interface OidcUpstreamOptions {
  redirectUris: string[];
  clientId?: string;
  clientSecret?: string;
  /** The only way the client may authenticate at the token endpoint (client_secret_basic when not given). */
  tokenEndpointAuthMethod?: ClientAuthMethod;
  /** The response modes the client may ask for; all of oidc-provider's when not given. */
  responseModes?: ('query' | 'form_post')[];
}

/** The standard claims (OIDC Core 5.1) under the scope that releases them. */
const CLAIMS_BY_SCOPE = {
  openid: ['sub'],
  email: ['email', 'email_verified'],
  phone: ['phone_number', 'phone_number_verified'],
  address: ['address'],
  profile: [
    'name', 'given_name', 'family_name', 'middle_name', 'nickname', 'preferred_username', 'profile',
    'picture', 'website', 'gender', 'birthdate', 'zoneinfo', 'locale', 'updated_at',
  ],
};

/** Claims oidc-provider sets or masks itself: an account's other claims are its custom ones. */
const PROVIDER_CLAIMS = new Set(['acr', 'sid', 'auth_time', 'iss', ...Object.values(CLAIMS_BY_SCOPE).flat()]);

/** oidc-provider's default routes. */
const AUTHORIZATION_PATH = '/auth';
const TOKEN_PATH = '/token';
const INTERACTION_PATH = '/interaction/';
const ONE_HOUR = 3600;

/** oidc-provider warns at start-up that its in-memory adapter is for development only: in a test, it is the point. */
class TestAdapter extends MemoryAdapter {}

export async function startOidcUpstream(options: OidcUpstreamOptions): Promise<OidcUpstream> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const issuer = `http://127.0.0.1:${port}`;
  const clientId = options.clientId ?? 'gatehouse';
  const clientAuthMethod: ClientAuthMethod = options.tokenEndpointAuthMethod ?? 'client_secret_basic';
  const clientSecret = options.clientSecret ?? randomBytes(24).toString('base64url');

  const accounts = new Map<string, UpstreamAccount>();
  let signedInAs: UpstreamAccount | undefined;
  const authorizations: Array<Record<string, string>> = [];

  const provider = new Provider(issuer, {
    ...(await fixedConfiguration(port)),
    clientAuthMethods: [clientAuthMethod],
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: options.redirectUris,
        token_endpoint_auth_method: clientAuthMethod,
        ...(options.responseModes && { response_modes: options.responseModes }),
      },
    ],
    // Accounts are looked up by sub, not taken from signInAs: the token and userinfo requests of an
    // earlier sign-in still answer for that earlier account.
    findAccount: (_ctx, sub) => {
      const account = accounts.get(sub);
      return account && accountClaims(account);
    },
  });
  releaseCustomClaims(provider);
  provider.on('server_error', (_ctx, error) => console.error('oidc-upstream: server error', error));
  const handleProtocolRequest = provider.callback();

  /** The interaction a user would have with a login form and a consent screen, done at once. */
  async function finishInteraction(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const account = signedInAs;
    if (!account) throw Object.assign(new Error('nobody to sign in as: call signInAs() before authorizing'), { status: 409 });
    const interaction = await provider.interactionDetails(request, response);
    const grantId = await grantAllRequested(provider, interaction, account.sub);
    await provider.interactionFinished(request, response, { login: { accountId: account.sub }, consent: { grantId } }, { mergeWithLastSubmission: false });
  }

  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    const { pathname, searchParams } = new URL(request.url ?? '/', issuer);
    if (pathname.startsWith(INTERACTION_PATH)) {
      finishInteraction(request, response).catch((error: unknown) => answerError(response, error));
      return;
    }
    if (pathname === AUTHORIZATION_PATH && request.method === 'GET') authorizations.push(Object.fromEntries(searchParams));
    if (pathname === TOKEN_PATH && usesOtherClientAuthentication(request, clientAuthMethod)) {
      answerError(response, { status: 401, error: 'invalid_client', error_description: `the client authenticates by ${clientAuthMethod} only` });
      return;
    }
    dropSessionCookie(request, provider.cookieName('session'));
    handleProtocolRequest(request, response);
  });

  return {
    issuer,
    clientId,
    clientSecret,
    signInAs(account) {
      accounts.set(account.sub, account);
      signedInAs = account;
    },
    authorizations,
    close: () => closeServer(server),
  };
}

/** Everything but the client and the accounts. */
async function fixedConfiguration(port: number): Promise<Configuration> {
  // Names unique to this provider: cookies ignore ports, so Gatehouse, this provider and any other
  // upstream on 127.0.0.1 share one cookie jar (in a browser as in FormClient).
  const cookieNamePrefix = `upstream_${port}`;
  // Lax, not oidc-provider's default None for its session cookie: browsers refuse SameSite=None
  // on a cookie that is not Secure, and this is plain http.
  const cookieOptions = { signed: true, httpOnly: true, sameSite: 'lax' };
  return {
    adapter: TestAdapter,
    jwks: { keys: [await newSigningKey()] },
    cookies: {
      keys: [randomBytes(32).toString('base64url')],
      names: { session: `${cookieNamePrefix}_session`, interaction: `${cookieNamePrefix}_interaction`, resume: `${cookieNamePrefix}_resume` },
      long: cookieOptions,
      short: cookieOptions,
    },
    claims: CLAIMS_BY_SCOPE,
    // Scope-requested claims in the ID token too, not only at userinfo: upstream providers
    // commonly do so, and Gatehouse must read them from either.
    conformIdTokenClaims: false,
    // PKCE is for public clients; Gatehouse is a confidential one and may leave it out.
    pkce: { required: () => false },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx: unknown, interaction: Interaction) => `${INTERACTION_PATH}${interaction.uid}` },
    // Numbers rather than oidc-provider's default functions, which warn that they must be replaced.
    ttl: { AccessToken: ONE_HOUR, IdToken: ONE_HOUR, Grant: ONE_HOUR, Session: ONE_HOUR, Interaction: 600 },
    // Errors as JSON rather than oidc-provider's HTML page, so a failing test shows what went wrong.
    renderError: (ctx, out) => {
      ctx.type = 'json';
      ctx.body = out;
    },
  };
}

async function newSigningKey(): Promise<JWK> {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  return { ...(await exportJWK(privateKey)), kid: randomUUID(), alg: 'RS256', use: 'sig' };
}

function accountClaims(account: UpstreamAccount): Account {
  return { accountId: account.sub, claims: () => ({ ...account.claims, sub: account.sub }) };
}

/** Grants what the authorization request asked for, as a user clicking "allow" would. */
function grantAllRequested(provider: Provider, interaction: Interaction, accountId: string): Promise<string> {
  const grant = new provider.Grant({ accountId, clientId: String(interaction.params.client_id) });
  grant.addOIDCScope(interaction.params.scope ?? 'openid');
  grant.addOIDCClaims(interaction.prompt.details.missingOIDCClaims ?? []);
  return grant.save();
}

/**
 * oidc-provider releases only the claims its configuration names, and that is fixed when it starts,
 * but an account's custom claims are only known at signInAs: they go in the ID token and userinfo
 * whatever the scope, like the custom claims of most real providers.
 */
function releaseCustomClaims(provider: Provider): void {
  const releaseConfiguredClaims = provider.Claims.prototype.result;
  provider.Claims.prototype.result = async function (this: ClaimsMask) {
    const custom = Object.entries(this.available).filter(([name]) => !PROVIDER_CLAIMS.has(name));
    return { ...Object.fromEntries(custom), ...(await releaseConfiguredClaims.call(this)) };
  };
}

/**
 * Makes every authorization a fresh sign-in as signInAs chose. With its session cookie, oidc-provider
 * would reuse the session's account (single sign-on), and once signInAs had changed the account it
 * would answer a logout confirmation page instead of a code. Sessions are still stored (codes are
 * bound to them); they just never come back from the browser.
 */
function dropSessionCookie(request: IncomingMessage, sessionCookie: string): void {
  const { cookie } = request.headers;
  if (!cookie) return;
  const isSessionCookie = (pair: string) => pair.startsWith(`${sessionCookie}=`) || pair.startsWith(`${sessionCookie}.`);
  request.headers.cookie = cookie
    .split(/;\s*/)
    .filter((pair) => !isSessionCookie(pair))
    .join('; ');
}

/**
 * oidc-provider takes a client secret by either method, whatever the client registered; providers
 * that hold a client to its registered method exist, so this one does too (by the Authorization
 * header, which is all that tells client_secret_basic from client_secret_post).
 */
function usesOtherClientAuthentication(request: IncomingMessage, registered: ClientAuthMethod): boolean {
  const basic = /^Basic\s/i.test(request.headers.authorization ?? '');
  return basic !== (registered === 'client_secret_basic');
}

/** An OAuth error as JSON; oidc-provider's errors carry the same status, error and error_description. */
function answerError(response: ServerResponse, error: unknown): void {
  const { status = 500, error: code = 'server_error', error_description = String(error) } = error as { status?: number; error?: string; error_description?: string };
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ error: code, error_description }));
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    // fetch keeps connections alive, and close() waits for them.
    server.closeAllConnections();
  });
}
