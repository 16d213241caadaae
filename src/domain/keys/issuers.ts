export type IssuerStyle = 'self' | 'cognito';

/**
 * Where a pool's tokens say they come from. By default Gatehouse's public URL plus the pool id,
 * so `<issuer>/.well-known/jwks.json` is served by this very server; in `cognito` style the AWS
 * form `https://cognito-idp.<region>.amazonaws.com/<poolId>`, for verifiers that derive the issuer
 * from the pool id (aws-jwt-verify's CognitoJwtVerifier) — their keys still come from this server.
 */
export class Issuers {
  /** `baseUrl` is read late: with `--port 0` the address is known only once the server listens. */
  constructor(
    private readonly baseUrl: () => string,
    private readonly style: IssuerStyle = 'self',
  ) {}

  issuer(poolId: string): string {
    if (this.style === 'cognito') return `https://cognito-idp.${poolId.slice(0, poolId.indexOf('_'))}.amazonaws.com/${poolId}`;
    return `${this.baseUrl()}/${poolId}`;
  }

  /** Where this server serves the pool's discovery documents, whatever the issuer style. */
  private served(poolId: string): string {
    return `${this.baseUrl()}/${poolId}`;
  }

  /** The document Cognito serves for a pool without a domain: endpoints sit under the issuer. */
  discoveryDocument(poolId: string): Record<string, unknown> {
    const issuer = this.issuer(poolId);
    const served = this.served(poolId);
    return {
      authorization_endpoint: `${served}/authorize`,
      id_token_signing_alg_values_supported: ['RS256'],
      issuer,
      jwks_uri: `${served}/.well-known/jwks.json`,
      response_types_supported: ['code', 'token'],
      scopes_supported: ['openid', 'email', 'phone', 'profile'],
      subject_types_supported: ['public'],
      token_endpoint: `${served}/token`,
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
      userinfo_endpoint: `${served}/userInfo`,
    };
  }
}
