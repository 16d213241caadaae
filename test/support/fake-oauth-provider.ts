// A hand-written OAuth 2.0 provider in the shapes Cognito federates with, for what a certified
// library will not do: Facebook's Graph API (token by GET, profile fields in the query), Login with
// Amazon's profile, Sign in with Apple (form_post, a client_secret that is an ES256 JWT, the name
// only in the `user` form field), and ID tokens that are wrong on purpose for negative tests.
// A plain OIDC kind is here too, for those negative tests against a standard provider.
import { createHash, createPublicKey, randomBytes, randomUUID, type KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  decodeJwt,
  decodeProtectedHeader,
  exportJWK,
  generateKeyPair,
  jwtVerify,
  SignJWT,
  type CryptoKey,
  type JWK,
  type JWTPayload,
  type ProtectedHeaderParameters,
} from 'jose';
import { readBody } from './sockets.js';

export type FakeProviderKind = 'oidc' | 'facebook' | 'amazon' | 'apple';

export interface FakeUser {
  id: string;
  claims: Record<string, unknown>;
}

/** What to get wrong in token responses, from now until tamper(undefined). */
export interface Tampering {
  /** The ID token's aud. */
  audience?: string;
  /** An ID token that expired an hour ago. */
  expired?: boolean;
  /** An ID token whose signature does not verify. */
  breakSignature?: boolean;
  /** The ID token's nonce, instead of the authorization request's. */
  nonce?: string;
  /** The ID token's iss. */
  issuer?: string;
  /** The token endpoint answers this OAuth error (400) instead of tokens. */
  tokenError?: string;
}

export type FakeEndpoint = 'authorize' | 'token' | 'attributes' | 'jwks' | 'discovery';

export interface ReceivedRequest {
  endpoint: FakeEndpoint;
  method: string;
  query: Record<string, string>;
  /** The form-encoded body's fields (empty for other bodies). */
  body: Record<string, string>;
  /** The Authorization header. */
  authorization?: string;
}

/** Where the provider answers, in the vocabulary of Cognito's ProviderDetails: spread them into ProviderDetails. */
export interface ProviderEndpoints {
  authorize_url: string;
  token_url: string;
  /** Absent for apple, whose attributes come from the ID token only. */
  attributes_url?: string;
  /** For the kinds that issue ID tokens: oidc and apple. */
  oidc_issuer?: string;
  jwks_uri?: string;
  /** Facebook's, as Cognito lists them for a Facebook provider. */
  attributes_url_add_attributes?: string;
  token_request_method?: string;
}

export interface FakeOAuthProvider {
  /** Base URL. */
  url: string;
  /** Endpoint URLs in Cognito's ProviderDetails vocabulary, for configuring Gatehouse to point here. */
  endpoints: ProviderEndpoints;
  /** Who the next authorization signs in as. */
  signInAs(user: FakeUser): void;
  /** Negative-test knobs for token responses from now until tamper(undefined). */
  tamper(options: Tampering | undefined): void;
  /** Requests received at each endpoint, newest last. */
  readonly requests: ReceivedRequest[];
  close(): Promise<void>;
}

export interface FakeOAuthProviderOptions {
  clientId: string;
  /** Checked at the token endpoint when given (not for apple, whose secret is a JWT). */
  clientSecret?: string;
  /** Verifies the signature of Apple client_secret JWTs; without it only their header and claims are checked. */
  applePublicKeyPem?: string;
  /** The team ID an Apple client_secret must be issued by (its iss); any when not given. */
  appleTeamId?: string;
  /** The key ID an Apple client_secret must name (its kid); any when not given. */
  appleKeyId?: string;
}

export async function startFakeOAuthProvider(kind: FakeProviderKind, options: FakeOAuthProviderOptions): Promise<FakeOAuthProvider> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const provider = new FakeProvider(kind, url, options, await newSigningKey());
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    provider.handle(request, response).catch((error: Error) => response.destroy(error)); // a request that broke off mid-body
  });
  return {
    url,
    endpoints: provider.endpoints,
    signInAs: (user) => provider.signInAs(user),
    tamper: (tampering) => provider.tamper(tampering),
    requests: provider.requests,
    close: () => closeServer(server),
  };
}

// --- the kinds --------------------------------------------------------------------------------

interface KindProfile {
  authorizePath: string;
  token: { path: string; method: 'GET' | 'POST' };
  /** The userinfo-like endpoint: none for apple, whose attributes are in the ID token. */
  attributes?: { path: string; methods: string[]; answer(user: FakeUser, query: Record<string, string>): Record<string, unknown> };
  /** ID tokens, signed with the key published at jwksPath: only for the OpenID kinds. */
  idTokens?: { jwksPath: string; claims(userClaims: Record<string, unknown>): Record<string, unknown> };
  /** Cognito's ProviderDetails for this kind that the paths do not give. */
  providerDetails?(url: string): Partial<ProviderEndpoints>;
}

/** Claims that Apple never puts in an ID token: only in the `user` field of its form_post. */
const APPLE_FORM_ONLY_CLAIMS = ['name'];
const APPLE_AUDIENCE = 'https://appleid.apple.com';
/** Apple refuses client secrets that live longer than this (in seconds). */
const APPLE_SECRET_MAX_LIFETIME = 15_777_000;
const DISCOVERY_PATH = '/.well-known/openid-configuration';
const ONE_HOUR = 3600;

const PROFILES: Record<FakeProviderKind, KindProfile> = {
  oidc: {
    authorizePath: '/authorize',
    token: { path: '/token', method: 'POST' },
    attributes: { path: '/userinfo', methods: ['GET', 'POST'], answer: (user) => ({ ...user.claims, sub: user.id }) },
    idTokens: { jwksPath: '/jwks', claims: (userClaims) => userClaims },
  },
  facebook: {
    // Graph API paths, as under www.facebook.com/vXX.X and graph.facebook.com/vXX.X.
    authorizePath: '/dialog/oauth',
    token: { path: '/oauth/access_token', method: 'GET' },
    attributes: { path: '/me', methods: ['GET'], answer: graphFields },
    // Cognito appends the names of the attributes it wants to `fields=`.
    providerDetails: (url) => ({ attributes_url: `${url}/me?fields=`, attributes_url_add_attributes: 'true', token_request_method: 'GET' }),
  },
  amazon: {
    // As at www.amazon.com/ap/oa and api.amazon.com.
    authorizePath: '/ap/oa',
    token: { path: '/auth/o2/token', method: 'POST' },
    attributes: { path: '/user/profile', methods: ['GET'], answer: (user) => ({ ...user.claims, user_id: user.id }) },
  },
  apple: {
    // As at appleid.apple.com.
    authorizePath: '/auth/authorize',
    token: { path: '/auth/token', method: 'POST' },
    idTokens: { jwksPath: '/auth/keys', claims: (userClaims) => withoutKeys(userClaims, APPLE_FORM_ONLY_CLAIMS) },
  },
};

/** Graph answers the fields asked for, id always, and id and name when none are asked for. */
function graphFields(user: FakeUser, query: Record<string, string>): Record<string, unknown> {
  const asked = (query.fields ?? '').split(',').map((field) => field.trim()).filter(Boolean);
  const profile: Record<string, unknown> = { ...user.claims, id: user.id };
  const fields = ['id', ...(asked.length > 0 ? asked : ['name'])];
  return Object.fromEntries(fields.filter((field) => profile[field] !== undefined).map((field) => [field, profile[field]]));
}

/** Apple's `user` form field: the name (which no ID token carries) and email, as JSON. */
function appleUserField(claims: Record<string, unknown>): string | undefined {
  if (claims.name === undefined) return undefined;
  return JSON.stringify({ name: claims.name, ...(claims.email !== undefined && { email: claims.email }) });
}

// --- the provider -----------------------------------------------------------------------------

interface SigningKey {
  privateKey: CryptoKey;
  publicJwk: JWK;
}

interface IssuedCode {
  user: FakeUser;
  redirectUri: string;
  nonce?: string;
  codeChallenge?: string;
  codeChallengeMethod?: string;
}

interface Answer {
  status: number;
  headers?: Record<string, string>;
  body: string;
}

/** An OAuth error answer; `description` is for whoever debugs the test. */
class ProviderError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    description: string,
  ) {
    super(description);
  }
}

const invalidClient = (description: string) => new ProviderError(401, 'invalid_client', description);
const invalidGrant = (description: string) => new ProviderError(400, 'invalid_grant', description);

class FakeProvider {
  readonly requests: ReceivedRequest[] = [];
  readonly endpoints: ProviderEndpoints;
  private readonly profile: KindProfile;
  private readonly routes: Map<string, FakeEndpoint>;
  private readonly applePublicKey: KeyObject | undefined;
  private readonly codes = new Map<string, IssuedCode>();
  private readonly accessTokens = new Map<string, FakeUser>();
  private user: FakeUser | undefined;
  private tampering: Tampering = {};

  constructor(
    private readonly kind: FakeProviderKind,
    private readonly url: string,
    private readonly options: FakeOAuthProviderOptions,
    private readonly signingKey: SigningKey,
  ) {
    this.profile = PROFILES[kind];
    this.routes = routesOf(this.profile);
    this.endpoints = endpointsOf(this.profile, url);
    this.applePublicKey = options.applePublicKeyPem === undefined ? undefined : createPublicKey(options.applePublicKeyPem);
  }

  signInAs(user: FakeUser): void {
    this.user = user;
  }

  tamper(tampering: Tampering | undefined): void {
    this.tampering = { ...tampering };
  }

  async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', this.url);
    const endpoint = this.routes.get(url.pathname);
    if (!endpoint) return send(response, json(404, { error: 'not_found', error_description: `nothing at ${url.pathname}` }));
    const received: ReceivedRequest = {
      endpoint,
      method: request.method ?? 'GET',
      query: Object.fromEntries(url.searchParams),
      body: formFields(request, await readBody(request)),
      ...(request.headers.authorization !== undefined && { authorization: request.headers.authorization }),
    };
    this.requests.push(received);
    try {
      send(response, await this.answer(received));
    } catch (error) {
      send(response, this.errorAnswer(error));
    }
  }

  private answer(request: ReceivedRequest): Answer | Promise<Answer> {
    switch (request.endpoint) {
      case 'authorize':
        return this.authorize(request.query);
      case 'token':
        return this.token(request);
      case 'attributes':
        return this.attributes(request, this.profile.attributes!);
      case 'jwks':
        return json(200, { keys: [this.signingKey.publicJwk] });
      case 'discovery':
        return json(200, this.discoveryDocument());
    }
  }

  // --- authorization endpoint

  private async authorize(query: Record<string, string>): Promise<Answer> {
    // Errors about the client or redirect_uri go to the browser, never to an unchecked redirect_uri.
    if (query.client_id !== this.options.clientId) throw new ProviderError(400, 'invalid_client', `unknown client_id ${query.client_id}`);
    const redirectUri = query.redirect_uri;
    if (!redirectUri) throw new ProviderError(400, 'invalid_request', 'redirect_uri is missing');
    if (!this.user) throw new ProviderError(409, 'login_required', 'nobody to sign in as: call signInAs() before authorizing');
    const responseTypes = (query.response_type ?? '').split(' ');
    const state: Record<string, string> = query.state === undefined ? {} : { state: query.state };
    if (!responseTypes.includes('code')) {
      return authorizationResponse(redirectUri, query.response_mode, { error: 'unsupported_response_type', ...state });
    }
    const user = structuredClone(this.user);
    const userField = this.kind === 'apple' && query.response_mode === 'form_post' ? appleUserField(user.claims) : undefined;
    return authorizationResponse(redirectUri, query.response_mode, {
      code: this.issueCode(user, query),
      ...state,
      ...(responseTypes.includes('id_token') && this.profile.idTokens && { id_token: await this.signIdToken(user, query.nonce) }),
      ...(userField !== undefined && { user: userField }),
    });
  }

  private issueCode(user: FakeUser, query: Record<string, string>): string {
    const code = randomBytes(16).toString('base64url');
    this.codes.set(code, {
      user,
      redirectUri: query.redirect_uri!,
      nonce: query.nonce,
      codeChallenge: query.code_challenge,
      codeChallengeMethod: query.code_challenge_method,
    });
    return code;
  }

  // --- token endpoint

  private async token(request: ReceivedRequest): Promise<Answer> {
    const { method } = this.profile.token;
    requireMethod(request, [method]);
    if (this.tampering.tokenError) throw new ProviderError(400, this.tampering.tokenError, 'tampered: tokenError');
    const params = method === 'GET' ? request.query : request.body;
    await this.authenticateClient(params, request.authorization);
    // Facebook's GET token exchange has no grant_type.
    if (this.kind !== 'facebook' && params.grant_type !== 'authorization_code') {
      throw new ProviderError(400, 'unsupported_grant_type', `grant_type ${params.grant_type} is not authorization_code`);
    }
    const { user, nonce } = this.redeemCode(params);
    const accessToken = randomBytes(24).toString('base64url');
    this.accessTokens.set(accessToken, user);
    return json(200, {
      access_token: accessToken,
      token_type: 'Bearer',
      expires_in: ONE_HOUR,
      ...(this.profile.idTokens && { id_token: await this.signIdToken(user, nonce) }),
    });
  }

  private async authenticateClient(params: Record<string, string>, authorization: string | undefined): Promise<void> {
    const { clientId, clientSecret } = clientCredentials(params, authorization);
    if (clientId !== this.options.clientId) throw invalidClient(`unknown client_id ${clientId}`);
    if (this.kind === 'apple') return this.verifyAppleClientSecret(clientSecret);
    if (this.options.clientSecret !== undefined && clientSecret !== this.options.clientSecret) throw invalidClient('wrong client_secret');
  }

  private async verifyAppleClientSecret(secret: string | undefined): Promise<void> {
    if (!secret) throw invalidClient('client_secret is missing');
    let verified: { protectedHeader: ProtectedHeaderParameters; payload: JWTPayload };
    try {
      verified = this.applePublicKey
        ? await jwtVerify(secret, this.applePublicKey, { algorithms: ['ES256'] })
        : { protectedHeader: decodeProtectedHeader(secret), payload: decodeJwt(secret) };
    } catch (error) {
      throw invalidClient(`client_secret is not a valid JWT: ${(error as Error).message}`);
    }
    const problem = appleClientSecretProblem(verified.protectedHeader, verified.payload, this.options);
    if (problem) throw invalidClient(problem);
  }

  /** The code's grant, once: a code is spent even when the rest of the request is wrong. */
  private redeemCode(params: Record<string, string>): IssuedCode {
    const issued = params.code === undefined ? undefined : this.codes.get(params.code);
    if (!issued) throw invalidGrant('unknown or already used code');
    this.codes.delete(params.code!);
    if (params.redirect_uri !== issued.redirectUri) throw invalidGrant(`redirect_uri ${params.redirect_uri} is not the authorization request's`);
    const problem = pkceProblem(issued, params.code_verifier);
    if (problem) throw invalidGrant(problem);
    return issued;
  }

  private async signIdToken(user: FakeUser, nonce: string | undefined): Promise<string> {
    const { tampering } = this;
    const issuedAt = epochSeconds() - (tampering.expired ? 2 * ONE_HOUR : 0);
    const tokenNonce = tampering.nonce ?? nonce;
    const claims = this.profile.idTokens?.claims(user.claims) ?? user.claims;
    const token = await new SignJWT({ ...claims, ...(tokenNonce !== undefined && { nonce: tokenNonce }) })
      .setProtectedHeader({ alg: 'RS256', kid: this.signingKey.publicJwk.kid! })
      .setIssuer(tampering.issuer ?? this.url)
      .setAudience(tampering.audience ?? this.options.clientId)
      .setSubject(user.id)
      .setIssuedAt(issuedAt)
      .setExpirationTime(issuedAt + ONE_HOUR)
      .sign(this.signingKey.privateKey);
    return tampering.breakSignature ? withBrokenSignature(token) : token;
  }

  // --- attributes (userinfo) endpoint

  private attributes(request: ReceivedRequest, attributes: NonNullable<KindProfile['attributes']>): Answer {
    requireMethod(request, attributes.methods);
    // Graph takes the access token in the query too.
    const token = bearerToken(request.authorization) ?? (this.kind === 'facebook' ? request.query.access_token : undefined);
    const user = token === undefined ? undefined : this.accessTokens.get(token);
    if (!user) throw new ProviderError(401, 'invalid_token', 'unknown or missing access token');
    return json(200, attributes.answer(user, request.query));
  }

  private discoveryDocument(): Record<string, unknown> {
    const { endpoints } = this;
    return {
      issuer: this.url,
      authorization_endpoint: endpoints.authorize_url,
      token_endpoint: endpoints.token_url,
      ...(endpoints.attributes_url !== undefined && { userinfo_endpoint: endpoints.attributes_url }),
      jwks_uri: endpoints.jwks_uri,
      response_types_supported: ['code'],
      response_modes_supported: ['query', 'form_post'],
      grant_types_supported: ['authorization_code'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256'],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
      code_challenge_methods_supported: ['S256', 'plain'],
      scopes_supported: ['openid', 'email', 'profile'],
    };
  }

  /** OAuth's JSON error, or Graph's for facebook. */
  private errorAnswer(error: unknown): Answer {
    if (!(error instanceof ProviderError)) {
      console.error(`fake ${this.kind} provider:`, error);
      return json(500, { error: 'server_error', error_description: String(error) });
    }
    if (this.kind === 'facebook') {
      return json(error.status, { error: { message: `${error.error}: ${error.message}`, type: 'OAuthException', code: error.error === 'invalid_token' ? 190 : 100 } });
    }
    return json(error.status, { error: error.error, error_description: error.message });
  }
}

// --- protocol details -------------------------------------------------------------------------

function routesOf(profile: KindProfile): Map<string, FakeEndpoint> {
  const routes = new Map<string, FakeEndpoint>([
    [profile.authorizePath, 'authorize'],
    [profile.token.path, 'token'],
  ]);
  if (profile.attributes) routes.set(profile.attributes.path, 'attributes');
  if (profile.idTokens) routes.set(profile.idTokens.jwksPath, 'jwks').set(DISCOVERY_PATH, 'discovery');
  return routes;
}

function endpointsOf(profile: KindProfile, url: string): ProviderEndpoints {
  return {
    authorize_url: url + profile.authorizePath,
    token_url: url + profile.token.path,
    ...(profile.attributes && { attributes_url: url + profile.attributes.path }),
    ...(profile.idTokens && { oidc_issuer: url, jwks_uri: url + profile.idTokens.jwksPath }),
    ...profile.providerDetails?.(url),
  };
}

/** client_secret_basic when there is a Basic header (RFC 6749 2.3.1: each part form-encoded), client_secret_post otherwise. */
function clientCredentials(params: Record<string, string>, authorization: string | undefined): { clientId?: string; clientSecret?: string } {
  const basic = /^Basic\s+(\S+)$/i.exec(authorization ?? '');
  if (!basic) return { clientId: params.client_id, clientSecret: params.client_secret };
  const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) throw invalidClient('malformed Basic credentials');
  const formDecode = (part: string) => decodeURIComponent(part.replace(/\+/g, ' '));
  return { clientId: formDecode(decoded.slice(0, colon)), clientSecret: formDecode(decoded.slice(colon + 1)) };
}

/** Apple's rules for the client_secret JWT a client signs with its Sign in with Apple key. */
function appleClientSecretProblem(header: ProtectedHeaderParameters, claims: JWTPayload, expected: FakeOAuthProviderOptions): string | undefined {
  const now = epochSeconds();
  const audiences = typeof claims.aud === 'string' ? [claims.aud] : (claims.aud ?? []);
  if (header.alg !== 'ES256') return `client_secret is signed ${header.alg}, not ES256`;
  if (!header.kid || (expected.appleKeyId !== undefined && header.kid !== expected.appleKeyId)) return `client_secret kid ${header.kid} is not the key ID`;
  if (!claims.iss || (expected.appleTeamId !== undefined && claims.iss !== expected.appleTeamId)) return `client_secret iss ${claims.iss} is not the team ID`;
  if (claims.sub !== expected.clientId) return `client_secret sub ${claims.sub} is not the client_id (the Services ID)`;
  if (!audiences.includes(APPLE_AUDIENCE)) return `client_secret aud is not ${APPLE_AUDIENCE}`;
  if (typeof claims.iat !== 'number' || typeof claims.exp !== 'number') return 'client_secret lacks iat or exp';
  if (claims.exp <= now) return 'client_secret has expired';
  if (claims.exp - claims.iat > APPLE_SECRET_MAX_LIFETIME) return 'client_secret lives longer than 6 months';
  return undefined;
}

/** RFC 7636: a code requested with a code_challenge is only redeemed with its verifier. */
function pkceProblem(issued: IssuedCode, verifier: string | undefined): string | undefined {
  if (issued.codeChallenge === undefined) return undefined;
  if (verifier === undefined) return 'code_verifier is missing';
  const challenge = issued.codeChallengeMethod === 'S256' ? createHash('sha256').update(verifier).digest('base64url') : verifier;
  return challenge === issued.codeChallenge ? undefined : 'code_verifier does not match the code_challenge';
}

/** The same token with its signature's first byte flipped: well-formed, but it no longer verifies. */
function withBrokenSignature(jwt: string): string {
  const [header, payload, signature] = jwt.split('.');
  const bytes = Buffer.from(signature!, 'base64url');
  bytes[0] ^= 0xff;
  return `${header}.${payload}.${bytes.toString('base64url')}`;
}

function requireMethod(request: ReceivedRequest, methods: string[]): void {
  if (!methods.includes(request.method)) throw new ProviderError(405, 'invalid_request', `${request.method} is not ${methods.join(' or ')}`);
}

function bearerToken(authorization: string | undefined): string | undefined {
  return /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
}

function formFields(request: IncomingMessage, body: string): Record<string, string> {
  const isForm = (request.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');
  return isForm ? Object.fromEntries(new URLSearchParams(body)) : {};
}

// --- answers ----------------------------------------------------------------------------------

/** Sends the browser back to the client: query parameters by a redirect, or form_post's self-submitting form. */
function authorizationResponse(redirectUri: string, responseMode: string | undefined, params: Record<string, string>): Answer {
  if (responseMode === 'form_post') return formPostPage(redirectUri, params);
  const location = new URL(redirectUri);
  for (const [name, value] of Object.entries(params)) location.searchParams.set(name, value);
  return { status: 302, headers: { location: location.toString() }, body: '' };
}

/** The form in the markup FormClient.submit() reads (`<input type="hidden" name=".." value="..">`). */
function formPostPage(action: string, params: Record<string, string>): Answer {
  const inputs = Object.entries(params).map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`);
  const body = [
    '<!DOCTYPE html>',
    '<html><head><title>Submitting</title></head>',
    '<body onload="document.forms[0].submit()">',
    `<form method="post" action="${escapeHtml(action)}">`,
    ...inputs,
    '<noscript><button type="submit">Continue</button></noscript>',
    '</form></body></html>',
  ].join('\n');
  return { status: 200, headers: { 'content-type': 'text/html; charset=utf-8' }, body };
}

function json(status: number, value: unknown): Answer {
  return { status, headers: { 'content-type': 'application/json', 'cache-control': 'no-store' }, body: JSON.stringify(value) };
}

function send(response: ServerResponse, answer: Answer): void {
  response.writeHead(answer.status, answer.headers).end(answer.body);
}

// --- small helpers ----------------------------------------------------------------------------

async function newSigningKey(): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  return { privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid: randomUUID(), alg: 'RS256', use: 'sig' } };
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (character) => HTML_ESCAPES[character]!);

const epochSeconds = () => Math.floor(Date.now() / 1000);

function withoutKeys(record: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([key]) => !keys.includes(key)));
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections(); // fetch keeps connections alive, and close() waits for them
  });
}
