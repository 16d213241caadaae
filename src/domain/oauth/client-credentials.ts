import type { AppClient, AppClients } from '../clients/app-clients.js';
import { isClientSecret } from '../auth/client-checks.js';
import { authFlowsOf } from '../clients/client-settings.js';
import { CognitoError } from '../errors.js';
import type { UserPools } from '../pools/user-pools.js';
import type { ClientToken, Tokens } from '../tokens/tokens.js';
import type { Caller } from '../triggers/caller.js';
import { OAuthError } from './oauth-error.js';
import { grantScopes } from './scopes.js';
import type { ResourceServers } from './resource-servers.js';

export interface ClientTokenRequest {
  clientId: string;
  /** The secret the caller presented; undefined when it sent none. */
  secret: string | undefined;
  /** The scopes asked for; undefined for every custom scope the client may have. */
  scopes: string[] | undefined;
  caller: Caller;
}

/**
 * Machine-to-machine tokens: a confidential client proves itself with its secret and gets an
 * access token for custom scopes of the pool's resource servers, through the token endpoint's
 * client_credentials grant or GetClientToken.
 */
export class ClientCredentials {
  constructor(
    private readonly clients: AppClients,
    private readonly pools: UserPools,
    private readonly resourceServers: ResourceServers,
    private readonly tokens: Tokens,
  ) {}

  async issue(request: ClientTokenRequest): Promise<ClientToken> {
    return this.issueFor(await this.authenticate(request.clientId, request.secret), request.scopes, request.caller);
  }

  /** The same for a client the caller has authenticated already (the token endpoint). */
  async issueFor(client: AppClient, requestedScopes: string[] | undefined, caller: Caller): Promise<ClientToken> {
    if (client.secrets.length === 0) throw new OAuthError('invalid_client', 'Client authentication failed.');
    if (!mayUseClientCredentials(client)) throw new OAuthError('unauthorized_client', `Client ${client.clientId} is not allowed the client_credentials flow.`);
    const scopes = await this.grantedScopes(client, requestedScopes);
    const pool = await this.pools.get(client.poolId);
    return this.tokens.clientToken(pool, client, scopes, { ...caller, clientId: client.clientId });
  }

  /**
   * The client a request to the OAuth endpoints speaks for: one with secrets must present one of them
   * (compared in constant time), one without must present none. invalid_client otherwise.
   */
  async authenticate(clientId: string, secret: string | undefined): Promise<AppClient> {
    const client = await this.clients.forCall(clientId).catch((error: unknown) => {
      if (error instanceof CognitoError && error.type === 'ResourceNotFoundException') return undefined;
      throw error;
    });
    const authentic = client && (client.secrets.length === 0 ? !secret : isClientSecret(client, secret));
    if (!authentic) throw new OAuthError('invalid_client', 'Client authentication failed.');
    return client;
  }

  /**
   * What the token may carry: the scopes asked for, each one the client is allowed and the pool
   * still offers; without a request, every custom scope the client is allowed.
   */
  private async grantedScopes(client: AppClient, requested: string[] | undefined): Promise<string[]> {
    const offered = await this.resourceServers.scopesOfPool(client.poolId);
    const allowed = (client.settings.AllowedOAuthScopes ?? []).filter((scope) => offered.has(scope));
    if (requested === undefined && allowed.length === 0) throw new OAuthError('invalid_scope', 'The client is allowed no custom scopes.');
    if (requested?.length === 0) throw new OAuthError('invalid_scope', 'Invalid scope requested: ');
    return grantScopes(allowed, requested);
  }
}

/**
 * The client_credentials OAuth flow on an OAuth client, or (for GetClientToken, as AWS documents it)
 * the ALLOW_CLIENT_TOKEN_AUTH flow, which the current SDKs cannot set yet.
 */
function mayUseClientCredentials(client: AppClient): boolean {
  const oauth = client.settings.AllowedOAuthFlowsUserPoolClient === true && (client.settings.AllowedOAuthFlows ?? []).includes('client_credentials');
  return oauth || authFlowsOf(client.settings).includes('ALLOW_CLIENT_TOKEN_AUTH');
}
