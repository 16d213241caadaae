import { regionOfPoolId } from '../ids.js';

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

  /**
   * `base` is another node's: a replica region names the primary region's issuer, as Cognito's
   * replicas do, so tokens from either region are one issuer's. The AWS form names the primary
   * region already, through the pool id.
   */
  issuer(poolId: string, base = this.baseUrl()): string {
    if (this.style === 'cognito') return `https://cognito-idp.${regionOfPoolId(poolId)}.amazonaws.com/${poolId}`;
    return `${base}/${poolId}`;
  }

  /** Where this server serves the pool's discovery documents, whatever the issuer style. */
  private served(poolId: string): string {
    return `${this.baseUrl()}/${poolId}`;
  }

  /**
   * The pool's discovery document. The OAuth endpoints are Gatehouse's own (`/oauth2/…`, where the
   * client id picks the pool), named on the address the document was asked for (`origin`), so they
   * work from wherever the relying party stands: this machine, a domain's name, a proxy.
   */
  discoveryDocument(poolId: string, origin = this.baseUrl(), issuerBase?: string): Record<string, unknown> {
    const base = origin;
    return {
      authorization_endpoint: `${base}/oauth2/authorize`,
      code_challenge_methods_supported: ['S256'],
      end_session_endpoint: `${base}/logout`,
      id_token_signing_alg_values_supported: ['RS256'],
      issuer: this.issuer(poolId, issuerBase),
      jwks_uri: `${this.served(poolId)}/.well-known/jwks.json`,
      response_types_supported: ['code', 'token'],
      revocation_endpoint: `${base}/oauth2/revoke`,
      scopes_supported: ['openid', 'email', 'phone', 'profile'],
      subject_types_supported: ['public'],
      token_endpoint: `${base}/oauth2/token`,
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
      userinfo_endpoint: `${base}/oauth2/userInfo`,
    };
  }
}
