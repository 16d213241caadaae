/** The error codes of RFC 6749 that Cognito's OAuth endpoints answer with. */
export type OAuthErrorCode = 'invalid_request' | 'invalid_client' | 'invalid_grant' | 'unauthorized_client' | 'unsupported_grant_type' | 'invalid_scope';

/**
 * A refusal in OAuth's own vocabulary: the token endpoint answers it as `{"error": code}`, and the
 * JSON API operations that share the logic (GetClientToken) turn it into a Cognito exception.
 */
export class OAuthError extends Error {
  constructor(
    readonly code: OAuthErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'OAuthError';
  }
}
