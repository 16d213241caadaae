/**
 * Where a pool's tokens say they come from: Gatehouse's public URL plus the pool id,
 * so `<issuer>/.well-known/jwks.json` is served by this very server.
 */
export class Issuers {
  /** `baseUrl` is read late: with `--port 0` the address is known only once the server listens. */
  constructor(private readonly baseUrl: () => string) {}

  issuer(poolId: string): string {
    return `${this.baseUrl()}/${poolId}`;
  }

  /** The document Cognito serves for a pool without a domain: endpoints sit under the issuer. */
  discoveryDocument(poolId: string): Record<string, unknown> {
    const issuer = this.issuer(poolId);
    return {
      authorization_endpoint: `${issuer}/authorize`,
      id_token_signing_alg_values_supported: ['RS256'],
      issuer,
      jwks_uri: `${issuer}/.well-known/jwks.json`,
      response_types_supported: ['code', 'token'],
      scopes_supported: ['openid', 'email', 'phone', 'profile'],
      subject_types_supported: ['public'],
      token_endpoint: `${issuer}/token`,
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
      userinfo_endpoint: `${issuer}/userInfo`,
    };
  }
}
