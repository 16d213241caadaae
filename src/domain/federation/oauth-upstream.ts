import { createPrivateKey } from 'node:crypto';
import { createRemoteJWKSet, errors as joseErrors, jwtVerify, SignJWT, type JWTPayload } from 'jose';
import type { GatehouseConfig } from '../../config.js';
import type { IdentityProvider } from './identity-providers.js';
import { isSocial, scopesOf, socialEndpoints } from './provider-details.js';

/**
 * The relying-party side of the OIDC and social providers: the authorize URL Gatehouse sends the
 * browser to, the code exchange, the ID token's verification (signature, issuer, audience, expiry,
 * nonce) and the attributes endpoint, each as the provider type expects it (Facebook's GET token
 * request and Graph fields, Apple's form_post and signed client secret).
 */

const FETCH_TIMEOUT_MS = 10_000;
const DISCOVERY_TTL_MS = 3_600_000;
/** Apple's client secret is a JWT Gatehouse signs for each exchange; it may live up to six months, a few minutes do. */
const APPLE_SECRET_SECONDS = 300;
/** Apple's client secrets name Apple as their audience, wherever its endpoints are. */
const APPLE_AUDIENCE = 'https://appleid.apple.com';

/** Why a sign-in through a provider failed; the message goes to the app as error_description. */
export class UpstreamError extends Error {}

export interface Endpoints {
  authorizeUrl: string;
  tokenUrl: string;
  attributesUrl?: string;
  jwksUri?: string;
  issuer?: string;
  tokenMethod: 'GET' | 'POST';
  attributesMethod: 'GET' | 'POST';
  /** Facebook's Graph wants the attribute names it should answer appended to the URL. */
  addAttributes: boolean;
}

/** What the provider said about the user, and the evidence the InboundFederation trigger is shown. */
export interface UpstreamIdentity {
  claims: Record<string, unknown>;
  tokenResponse: Record<string, unknown>;
  idToken?: Record<string, unknown>;
  userInfo?: Record<string, unknown>;
}

export class OAuthUpstream {
  private readonly discovered = new Map<string, { document: Record<string, unknown>; at: number }>();
  private readonly keySets = new Map<string, ReturnType<typeof createRemoteJWKSet>>();

  constructor(
    private readonly config: Pick<GatehouseConfig, 'federation'>,
    private readonly now: () => number,
  ) {}

  async authorizeUrl(provider: IdentityProvider, request: { redirectUri: string; state: string; nonce: string }): Promise<string> {
    const endpoints = await this.endpointsOf(provider);
    const url = new URL(endpoints.authorizeUrl);
    const scopes = scopesOf(provider.details);
    url.searchParams.set('client_id', provider.details.client_id!);
    url.searchParams.set('redirect_uri', request.redirectUri);
    url.searchParams.set('response_type', 'code');
    url.searchParams.set('scope', scopes.join(provider.type === 'Facebook' ? ',' : ' '));
    url.searchParams.set('state', request.state);
    if (endpoints.issuer) url.searchParams.set('nonce', request.nonce);
    // Apple answers a request for the user's name or email only by posting back to the redirect URI.
    if (provider.type === 'SignInWithApple' && scopes.length > 0) url.searchParams.set('response_mode', 'form_post');
    return url.toString();
  }

  /** Exchanges the code and reads the user: the ID token verified, then the attributes endpoint. */
  async identify(provider: IdentityProvider, code: string, redirectUri: string, nonce: string): Promise<UpstreamIdentity> {
    const endpoints = await this.endpointsOf(provider);
    const tokenResponse = await this.exchange(provider, endpoints, code, redirectUri);
    const accessToken = typeof tokenResponse.access_token === 'string' ? tokenResponse.access_token : undefined;
    const idToken = typeof tokenResponse.id_token === 'string' ? await this.verifyIdToken(provider, endpoints, tokenResponse.id_token, nonce) : undefined;
    if (endpoints.issuer && !idToken) throw new UpstreamError(`${provider.name} answered without an ID token.`);
    const userInfo = endpoints.attributesUrl && accessToken && provider.type !== 'Google' ? await this.attributes(provider, endpoints, accessToken) : undefined;
    if (idToken && userInfo?.sub !== undefined && userInfo.sub !== idToken.sub) throw new UpstreamError(`${provider.name}'s userinfo names another subject than its ID token.`);
    return { claims: { ...idToken, ...userInfo }, tokenResponse, ...(idToken && { idToken }), ...(userInfo && { userInfo }) };
  }

  async endpointsOf(provider: IdentityProvider): Promise<Endpoints> {
    const details = isSocial(provider.type) ? { ...socialEndpoints(provider.type, provider.details, this.config), ...provider.details } : provider.details;
    const discovery = provider.type === 'OIDC' && (!details.authorize_url || !details.token_url || !details.jwks_uri) ? await this.discover(details.oidc_issuer!) : {};
    const pick = (given: string | undefined, discovered: unknown) => given ?? (typeof discovered === 'string' ? discovered : undefined);
    const authorizeUrl = pick(details.authorize_url, discovery.authorization_endpoint);
    const tokenUrl = pick(details.token_url, discovery.token_endpoint);
    if (!authorizeUrl || !tokenUrl) throw new UpstreamError(`${provider.name} has no authorize or token endpoint.`);
    const endpoints: Endpoints = {
      authorizeUrl,
      tokenUrl,
      tokenMethod: details.token_request_method === 'GET' ? 'GET' : 'POST',
      attributesMethod: details.attributes_request_method === 'POST' ? 'POST' : 'GET',
      addAttributes: details.attributes_url_add_attributes === 'true',
    };
    const attributesUrl = pick(details.attributes_url, discovery.userinfo_endpoint);
    const jwksUri = pick(details.jwks_uri, discovery.jwks_uri);
    const issuer = pick(details.oidc_issuer, discovery.issuer);
    return { ...endpoints, ...(attributesUrl && { attributesUrl }), ...(jwksUri && { jwksUri }), ...(issuer && { issuer }) };
  }

  private async discover(issuer: string): Promise<Record<string, unknown>> {
    const cached = this.discovered.get(issuer);
    if (cached && this.now() - cached.at < DISCOVERY_TTL_MS) return cached.document;
    const document = await fetchJson(`${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`, {}, `the discovery document of ${issuer}`);
    this.discovered.set(issuer, { document, at: this.now() });
    return document;
  }

  private async exchange(provider: IdentityProvider, endpoints: Endpoints, code: string, redirectUri: string): Promise<Record<string, unknown>> {
    const form = new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: redirectUri, client_id: provider.details.client_id! });
    const secret = provider.type === 'SignInWithApple' ? await this.appleClientSecret(provider) : provider.details.client_secret;
    if (secret !== undefined) form.set('client_secret', secret);
    const response =
      endpoints.tokenMethod === 'GET'
        ? await fetchJson(`${endpoints.tokenUrl}${endpoints.tokenUrl.includes('?') ? '&' : '?'}${form}`, {}, `${provider.name}'s token endpoint`)
        : await fetchJson(endpoints.tokenUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' }, body: form.toString() }, `${provider.name}'s token endpoint`);
    if (typeof response.error === 'string') throw new UpstreamError(`${provider.name} refused the code: ${response.error}`);
    return response;
  }

  /** Apple takes, in place of a secret, a JWT signed with the team's key: iss team, sub client, aud Apple. */
  private async appleClientSecret(provider: IdentityProvider): Promise<string> {
    const { team_id: team, key_id: keyId, client_id: clientId, private_key: pem } = provider.details;
    const key = createPrivateKey(pem!.includes('BEGIN') ? pem! : `-----BEGIN PRIVATE KEY-----\n${pem}\n-----END PRIVATE KEY-----`);
    const now = Math.floor(this.now() / 1000);
    return new SignJWT({})
      .setProtectedHeader({ alg: 'ES256', kid: keyId! })
      .setIssuer(team!)
      .setSubject(clientId!)
      .setAudience(APPLE_AUDIENCE)
      .setIssuedAt(now)
      .setExpirationTime(now + APPLE_SECRET_SECONDS)
      .sign(key);
  }

  private async verifyIdToken(provider: IdentityProvider, endpoints: Endpoints, token: string, nonce: string): Promise<Record<string, unknown>> {
    if (!endpoints.jwksUri || !endpoints.issuer) throw new UpstreamError(`${provider.name} has no jwks_uri or issuer to check its ID token with.`);
    let keys = this.keySets.get(endpoints.jwksUri);
    if (!keys) this.keySets.set(endpoints.jwksUri, (keys = createRemoteJWKSet(new URL(endpoints.jwksUri), { timeoutDuration: FETCH_TIMEOUT_MS })));
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, keys, { issuer: endpoints.issuer, audience: provider.details.client_id!, currentDate: new Date(this.now()), clockTolerance: 60 }));
    } catch (error) {
      throw new UpstreamError(`${provider.name}'s ID token is not valid: ${idTokenProblem(error)}`);
    }
    if (payload.nonce !== nonce) throw new UpstreamError(`${provider.name}'s ID token is not valid: the nonce does not match.`);
    if (typeof payload.sub !== 'string' || payload.sub === '') throw new UpstreamError(`${provider.name}'s ID token names no subject.`);
    return payload as Record<string, unknown>;
  }

  private async attributes(provider: IdentityProvider, endpoints: Endpoints, accessToken: string): Promise<Record<string, unknown>> {
    let url = endpoints.attributesUrl!;
    if (endpoints.addAttributes) url += [...new Set(['id', ...Object.values(provider.attributeMapping)])].join(',');
    const headers = { authorization: `Bearer ${accessToken}`, accept: 'application/json' };
    if (provider.type === 'Facebook') url += `${url.includes('?') ? '&' : '?'}access_token=${encodeURIComponent(accessToken)}`;
    const init: RequestInit = endpoints.attributesMethod === 'POST' ? { method: 'POST', headers } : { headers };
    return fetchJson(url, init, `${provider.name}'s attributes endpoint`);
  }
}

async function fetchJson(url: string, init: RequestInit, what: string): Promise<Record<string, unknown>> {
  let response: Response;
  try {
    response = await fetch(url, { ...init, signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
  } catch (error) {
    throw new UpstreamError(`Could not reach ${what}: ${(error as Error).message}`);
  }
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new UpstreamError(`${what} answered HTTP ${response.status} without JSON.`);
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new UpstreamError(`${what} answered something other than a JSON object.`);
  if (!response.ok && typeof (body as { error?: unknown }).error !== 'string') throw new UpstreamError(`${what} answered HTTP ${response.status}.`);
  return body as Record<string, unknown>;
}

function idTokenProblem(error: unknown): string {
  if (error instanceof joseErrors.JWTExpired) return 'it has expired.';
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return 'its signature does not verify.';
  if (error instanceof joseErrors.JWTClaimValidationFailed) return `its ${error.claim} claim is wrong.`;
  return (error as Error).message;
}
