import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { CognitoError } from '../domain/errors.js';
import { AUTHORIZATION_CODE_GRANT } from '../domain/limits/api-categories.js';
import { OAuthError, type OAuthErrorCode } from '../domain/oauth/oauth-error.js';
import type { Services } from '../domain/services.js';
import type { RateLimiter } from './rate-limits.js';
import type { Caller } from '../domain/triggers/caller.js';
import { callerOfRequest, formBody } from './web-requests.js';
import type { IssuedTokens } from '../domain/tokens/tokens.js';
import { primarySecret, type AppClient } from '../domain/clients/app-clients.js';

/** Client authentication as RFC 6749 §2.3.1 allows it: HTTP Basic, or the form's own fields. */
interface ClientAuthentication {
  clientId: string;
  secret: string | undefined;
}

type TokenGrant = (form: URLSearchParams, client: AppClient, caller: Caller, sourceIp: string) => Promise<Record<string, unknown>>;

/**
 * Cognito's OAuth 2.0 endpoints on the pool domain: the token endpoint (client_credentials and
 * refresh_token grants) and token revocation. The pool follows from the client, so they answer on
 * Gatehouse's own address as well as on a domain's.
 */
export function registerOAuthEndpoints(app: FastifyInstance, services: Services, limit: RateLimiter = () => undefined): void {
  const grants: Record<string, TokenGrant> = {
    client_credentials: async (form, client, caller) => {
      // GetClientToken's twin, limited as it is (ClientAuthentication).
      await limit('GetClientToken', { ClientId: client.clientId });
      const scope = form.get('scope');
      const token = await services.clientCredentials.issueFor(client, scope === null ? undefined : scope.split(' ').filter(Boolean), caller);
      return { access_token: token.AccessToken, expires_in: token.ExpiresIn, token_type: token.TokenType };
    },
    authorization_code: async (form, client, caller, sourceIp) => {
      await limit(AUTHORIZATION_CODE_GRANT, { ClientId: client.clientId });
      const tokens = await services.authorizations.redeem({
        client,
        code: required(form, 'code'),
        redirectUri: form.get('redirect_uri') ?? undefined,
        codeVerifier: form.get('code_verifier') ?? undefined,
        caller,
        sourceIp,
      });
      return oauthTokens(tokens);
    },
    refresh_token: async (form, client, caller, sourceIp) => {
      // GetTokensFromRefreshToken's twin, limited as it is (UserAuthentication).
      await limit('GetTokensFromRefreshToken', { ClientId: client.clientId });
      const refreshToken = required(form, 'refresh_token');
      // The client proved itself with one of its secrets above; the refresh checks it holds one.
      return oauthTokens(await services.authentication.tokensFromRefreshToken({ refreshToken, clientId: client.clientId, clientSecret: primarySecret(client), caller, sourceIp }));
    },
  };

  /** The client the request authenticates, which on a domain's host must be one of that domain's pool. */
  const authenticatedClient = async (request: FastifyRequest, form: URLSearchParams): Promise<AppClient> => {
    const { clientId, secret } = clientOf(request, form);
    const client = await services.clientCredentials.authenticate(clientId, secret);
    const hostPool = await services.userPoolDomains.poolOfHost(request.headers.host);
    if (hostPool !== undefined && hostPool !== client.poolId) throw new OAuthError('invalid_client', 'The client belongs to another user pool.');
    return client;
  };

  app.post('/oauth2/token', async (request, reply) => {
    try {
      const form = formOf(request);
      const grant = grants[required(form, 'grant_type')];
      if (!grant) throw new OAuthError('unsupported_grant_type', 'The grant type is not supported.');
      const client = await authenticatedClient(request, form);
      return sendJson(reply, 200, await grant(form, client, callerOf(request, form, client.clientId), request.ip));
    } catch (error) {
      return sendOAuthError(reply, error, request);
    }
  });

  const userInfo = async (request: FastifyRequest, reply: FastifyReply) => {
    const header = request.headers.authorization ?? '';
    if (!/^bearer /i.test(header)) return sendUserInfoError(reply, 400, 'invalid_request', 'Bad OAuth2 request at UserInfo Endpoint');
    try {
      return sendJson(reply, 200, await services.authorizations.userInfo(header.slice(7).trim()));
    } catch (error) {
      if (error instanceof OAuthError && error.code === 'invalid_request') return sendUserInfoError(reply, 400, 'invalid_request', 'Bad OAuth2 request at UserInfo Endpoint');
      if (error instanceof OAuthError || error instanceof CognitoError) {
        return sendUserInfoError(reply, 401, 'invalid_token', 'Access token is expired, disabled, or deleted, or the user has globally signed out.');
      }
      throw error;
    }
  };
  app.get('/oauth2/userInfo', userInfo);
  app.post('/oauth2/userInfo', userInfo);

  app.post('/oauth2/revoke', async (request, reply) => {
    try {
      const form = formOf(request);
      const client = await authenticatedClient(request, form);
      await services.authentication.revokeRefreshToken(required(form, 'token'), client.clientId, primarySecret(client));
      return reply.code(200).header('cache-control', 'no-store').send();
    } catch (error) {
      return sendOAuthError(reply, error, request);
    }
  });
}

/** The body of a form POST; any other content type is an invalid request, as at Cognito. */
function formOf(request: FastifyRequest): URLSearchParams {
  const type = String(request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') throw new OAuthError('invalid_request', 'The body must be application/x-www-form-urlencoded.');
  return formBody(request);
}

function required(form: URLSearchParams, name: string): string {
  const value = form.get(name);
  if (value === null || value === '') throw new OAuthError('invalid_request', `Missing ${name}.`);
  return value;
}

function clientOf(request: FastifyRequest, form: URLSearchParams): ClientAuthentication {
  const header = request.headers.authorization;
  if (header?.toLowerCase().startsWith('basic ')) {
    const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) throw new OAuthError('invalid_client', 'Malformed Basic authorization.');
    // RFC 6749 §2.3.1: both halves are form-urlencoded before they are joined.
    const decode = (part: string) => decodeURIComponent(part.replaceAll('+', ' '));
    return { clientId: decode(decoded.slice(0, colon)), secret: decode(decoded.slice(colon + 1)) };
  }
  return { clientId: required(form, 'client_id'), secret: form.get('client_secret') ?? undefined };
}

/** `aws_client_metadata` (JSON) reaches the pre token generation trigger as clientMetadata. */
function callerOf(request: FastifyRequest, form: URLSearchParams, clientId: string): Caller {
  const metadata = form.get('aws_client_metadata');
  let clientMetadata: Record<string, string> | undefined;
  if (metadata !== null) {
    try {
      clientMetadata = JSON.parse(metadata) as Record<string, string>;
    } catch {
      throw new OAuthError('invalid_request', 'aws_client_metadata must be a JSON object.');
    }
  }
  return callerOfRequest(request, clientId, clientMetadata);
}

/** The token endpoint's answer for a user's tokens: an ID token only with openid, a refresh token where one is issued. */
function oauthTokens(tokens: IssuedTokens): Record<string, unknown> {
  return {
    ...(tokens.IdToken !== undefined && { id_token: tokens.IdToken }),
    access_token: tokens.AccessToken,
    ...(tokens.RefreshToken !== undefined && { refresh_token: tokens.RefreshToken }),
    expires_in: tokens.ExpiresIn,
    token_type: tokens.TokenType,
  };
}

/** userInfo's refusals as Cognito words them: in WWW-Authenticate, with an empty JSON body. */
function sendUserInfoError(reply: FastifyReply, status: number, error: string, description: string): FastifyReply {
  return reply.header('www-authenticate', `error="${error}", error_description="${description}"`).code(status).header('content-type', 'application/json;charset=UTF-8').send('{}');
}

function sendJson(reply: FastifyReply, status: number, body: unknown): FastifyReply {
  return reply.code(status).header('content-type', 'application/json;charset=UTF-8').header('cache-control', 'no-store').header('pragma', 'no-cache').send(JSON.stringify(body));
}

/** Cognito exceptions from the shared domain code, in OAuth's words. */
const OAUTH_CODES: Record<string, OAuthErrorCode> = {
  ResourceNotFoundException: 'invalid_client',
  NotAuthorizedException: 'invalid_grant',
  RefreshTokenReuseException: 'invalid_grant',
  UnsupportedTokenTypeException: 'invalid_request',
  InvalidParameterException: 'invalid_request',
};

function sendOAuthError(reply: FastifyReply, error: unknown, request: FastifyRequest): FastifyReply {
  if (error instanceof OAuthError) return sendJson(reply, error.code === 'invalid_client' ? 401 : 400, { error: error.code });
  if (error instanceof CognitoError && error.type === 'TooManyRequestsException') return sendJson(reply, 429, { error: 'too_many_requests', error_description: error.message });
  if (error instanceof CognitoError) {
    const code = OAUTH_CODES[error.type] ?? 'invalid_request';
    return sendJson(reply, code === 'invalid_client' ? 401 : 400, { error: code });
  }
  request.log.error({ err: error }, 'OAuth endpoint failed');
  return sendJson(reply, 500, { error: 'server_error' });
}
