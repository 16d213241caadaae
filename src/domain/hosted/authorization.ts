import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../../clock.js';
import type { Storage, UserRecord } from '../../storage/types.js';
import type { AppClient, AppClients } from '../clients/app-clients.js';
import { OAuthError } from '../oauth/oauth-error.js';
import { grantScopes } from '../oauth/scopes.js';
import type { UserPools } from '../pools/user-pools.js';
import type { IssuedTokens, Tokens } from '../tokens/tokens.js';
import type { Caller } from '../triggers/caller.js';
import { readableAttributes } from '../users/user-attributes.js';

/** Cognito's authorization codes live five minutes and answer once. */
const CODE_LIFETIME_MS = 5 * 60_000;
const CODE_CHALLENGE = 'AUTHORIZATION_CODE';

/** What /oauth2/authorize and the login pages carry from one step to the next. */
export interface AuthorizationRequest {
  clientId: string;
  redirectUri: string;
  responseType: 'code' | 'token';
  scopes: string[];
  state?: string;
  nonce?: string;
  codeChallenge?: string;
}

/** The query parameters of an authorize request (and of the login pages, which repeat them). */
export type AuthorizeParameters = Partial<
  Record<'client_id' | 'redirect_uri' | 'response_type' | 'scope' | 'state' | 'nonce' | 'code_challenge' | 'code_challenge_method' | 'identity_provider' | 'idp_identifier', string>
>;

/**
 * A request whose client or redirect URI is wrong: Cognito shows its error page and never
 * redirects, so no one can use the login pages to send a browser elsewhere.
 */
export class UnredirectableError extends Error {}

/** What a code stands for until it is redeemed. */
interface CodeState {
  redirectUri: string;
  scopes: string[];
  nonce?: string;
  codeChallenge?: string;
  authTime: number;
}

/**
 * The authorization code and implicit grants: a request checked as Cognito checks it, a code that
 * binds the user, client, redirect URI, scopes, nonce and PKCE challenge for five minutes and can
 * be redeemed once, on any node.
 */
export class Authorizations {
  constructor(
    private readonly storage: Storage,
    private readonly clients: AppClients,
    private readonly pools: UserPools,
    private readonly tokens: Tokens,
    private readonly clock: Clock,
  ) {}

  /**
   * The request, checked: the client and redirect URI first (UnredirectableError), then what can be
   * answered on the redirect (OAuthError): the response type, the scopes, PKCE.
   */
  async check(parameters: AuthorizeParameters, hostPool?: string): Promise<{ request: AuthorizationRequest; client: AppClient }> {
    const client = await this.oauthClient(parameters.client_id, hostPool);
    const redirectUri = parameters.redirect_uri;
    if (!redirectUri || !(client.settings.CallbackURLs ?? []).includes(redirectUri)) throw new UnredirectableError('redirect_mismatch');
    const flows = client.settings.AllowedOAuthFlows ?? [];
    const responseType = parameters.response_type;
    if (responseType !== 'code' && responseType !== 'token') throw new OAuthError('invalid_request', 'response_type must be code or token.');
    if (!flows.includes(responseType === 'code' ? 'code' : 'implicit')) throw new OAuthError('unauthorized_client', 'The client may not use this response type.');
    const request: AuthorizationRequest = { clientId: client.clientId, redirectUri, responseType, scopes: grantedScopes(client, parameters.scope) };
    if (parameters.state !== undefined) request.state = parameters.state;
    if (parameters.nonce !== undefined) request.nonce = parameters.nonce;
    if (parameters.code_challenge !== undefined || parameters.code_challenge_method !== undefined) {
      if (parameters.code_challenge_method !== 'S256' || !parameters.code_challenge) throw new OAuthError('invalid_request', 'PKCE needs code_challenge with code_challenge_method S256.');
      request.codeChallenge = parameters.code_challenge;
    }
    return { request, client };
  }

  /**
   * A client that may use the OAuth endpoints at all, and on a domain's host name (`hostPool`) one of
   * that domain's pool; anything else is the error page.
   */
  async oauthClient(clientId: string | undefined, hostPool?: string): Promise<AppClient> {
    const client = clientId ? await this.clients.forCall(clientId).catch(() => undefined) : undefined;
    if (!client || client.settings.AllowedOAuthFlowsUserPoolClient !== true) throw new UnredirectableError('invalid_client');
    if (hostPool !== undefined && hostPool !== client.poolId) throw new UnredirectableError('invalid_client');
    return client;
  }

  /**
   * /oauth2/userInfo: the user an access token speaks for, if it was granted openid, shown as its
   * scopes allow. A token of the API's own sign-in (no openid) is refused, as at Cognito.
   */
  async userInfo(accessToken: string): Promise<Record<string, string>> {
    const { claims, family } = await this.tokens.verifyAccessToken(accessToken);
    const scopes = String(claims.scope ?? '').split(' ');
    if (!scopes.includes('openid')) throw new OAuthError('invalid_request', 'The access token was not granted the openid scope.');
    const user = await this.storage.users.getBySub(family.poolId, family.sub);
    if (!user || !user.enabled) throw new OAuthError('invalid_grant', 'Access token is expired, disabled, or deleted, or the user has globally signed out.');
    const client = await this.clients.get(family.poolId, family.clientId).catch(() => undefined);
    return userInfoOf(user, scopes, client?.settings.ReadAttributes);
  }

  /** The user a login session names, if they may still sign in (enabled, confirmed or federated). */
  async sessionUser(poolId: string, sub: string): Promise<UserRecord | undefined> {
    const user = await this.storage.users.getBySub(poolId, sub);
    return user?.enabled && (user.status === 'CONFIRMED' || user.status === 'EXTERNAL_PROVIDER') ? user : undefined;
  }

  /** A signed-in user's code for the request (code flow). */
  async issueCode(request: AuthorizationRequest, client: AppClient, user: UserRecord, authTime: number): Promise<string> {
    const code = randomBytes(32).toString('base64url');
    const state: CodeState = { redirectUri: request.redirectUri, scopes: request.scopes, authTime, ...(request.nonce && { nonce: request.nonce }), ...(request.codeChallenge && { codeChallenge: request.codeChallenge }) };
    const now = this.clock.now();
    await this.storage.authSessions.insert({ id: codeKey(code), poolId: client.poolId, clientId: client.clientId, sub: user.sub, challenge: CODE_CHALLENGE, state: { ...state }, expiresAt: now + CODE_LIFETIME_MS }, now);
    return code;
  }

  /** Tokens straight from the authorize request (implicit flow): no refresh token, as in Cognito. */
  async implicitTokens(request: AuthorizationRequest, client: AppClient, user: UserRecord, caller: Caller): Promise<IssuedTokens> {
    const pool = await this.pools.get(client.poolId);
    const { RefreshToken: _dropped, ...tokens } = await this.tokens.signIn(pool, client, user, null, generationOf(request.nonce, caller), { scopes: request.scopes });
    return tokens;
  }

  /**
   * The token endpoint's authorization_code grant: the code used up by this request alone, and only
   * by the client it was issued to, with the same redirect URI and the verifier of its PKCE challenge.
   */
  async redeem(input: { client: AppClient; code: string; redirectUri: string | undefined; codeVerifier: string | undefined; caller: Caller; sourceIp: string | null }): Promise<IssuedTokens> {
    const session = await this.storage.authSessions.consume(codeKey(input.code), this.clock.now());
    if (!session || session.challenge !== CODE_CHALLENGE || session.clientId !== input.client.clientId) throw new OAuthError('invalid_grant', 'The code is invalid, used or expired.');
    const state = session.state as unknown as CodeState;
    if (input.redirectUri !== state.redirectUri) throw new OAuthError('invalid_grant', 'redirect_uri differs from the authorize request.');
    if (state.codeChallenge !== undefined && !verifierMatches(state.codeChallenge, input.codeVerifier)) throw new OAuthError('invalid_grant', 'The code_verifier does not match.');
    const user = await this.storage.users.getBySub(session.poolId, session.sub);
    if (!user || !user.enabled) throw new OAuthError('invalid_grant', 'The user can no longer sign in.');
    const pool = await this.pools.get(session.poolId);
    return this.tokens.signIn(pool, input.client, user, null, { ...generationOf(state.nonce, input.caller), sourceIp: input.sourceIp }, { scopes: state.scopes }, state.authTime);
  }
}

/** Which attributes each OIDC scope lets /oauth2/userInfo show; `profile` shows the rest. */
const SCOPE_ATTRIBUTES: Record<string, readonly string[]> = {
  email: ['email', 'email_verified'],
  phone: ['phone_number', 'phone_number_verified'],
};

/** The attributes an access token's scopes let /oauth2/userInfo show, as strings, with the sub and username. */
export function userInfoOf(user: UserRecord, scopes: readonly string[], clientReadAttributes: string[] | undefined): Record<string, string> {
  const byScope = new Set(Object.entries(SCOPE_ATTRIBUTES).flatMap(([scope, names]) => (scopes.includes(scope) ? names : [])));
  const scoped = new Set(Object.values(SCOPE_ATTRIBUTES).flat());
  const shown = (name: string) => byScope.has(name) || (scopes.includes('profile') && !scoped.has(name));
  const info: Record<string, string> = { sub: user.sub };
  for (const { Name, Value } of readableAttributes(new Map(Object.entries(user.attributes)), clientReadAttributes)) if (shown(Name)) info[Name] = Value;
  return { ...info, username: user.username };
}

/** The authorize request's `scope` (space-separated; empty as good as absent), granted against the client's. */
function grantedScopes(client: AppClient, requested: string | undefined): string[] {
  const scopes = requested?.split(' ').filter(Boolean);
  return grantScopes(client.settings.AllowedOAuthScopes ?? [], scopes?.length ? scopes : undefined);
}

/** PKCE S256: base64url(SHA-256(verifier)) equals the challenge, compared in constant time. */
function verifierMatches(challenge: string, verifier: string | undefined): boolean {
  if (verifier === undefined || !/^[A-Za-z0-9._~-]{43,128}$/.test(verifier)) return false;
  const computed = Buffer.from(createHash('sha256').update(verifier).digest('base64url'));
  const expected = Buffer.from(challenge);
  return computed.length === expected.length && timingSafeEqual(computed, expected);
}

/** Codes are stored only as a digest, so a copy of the database redeems none. */
const codeKey = (code: string) => `code:${createHash('sha256').update(code).digest('base64url')}`;

const generationOf = (nonce: string | undefined, caller: Caller) => ({ source: 'HostedAuth' as const, caller, ...(nonce !== undefined && { nonce }) });

