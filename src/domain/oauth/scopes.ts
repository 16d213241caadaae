import { OAuthError } from './oauth-error.js';

/**
 * The scopes a request is granted, as Cognito grants them: every scope asked for must be one the
 * client is allowed (invalid_scope names the first that is not); nothing asked for grants all of them.
 */
export function grantScopes(allowed: readonly string[], requested: readonly string[] | undefined): string[] {
  if (requested === undefined) return [...allowed];
  const refused = requested.find((scope) => !allowed.includes(scope));
  if (refused !== undefined) throw new OAuthError('invalid_scope', `Invalid scope requested: ${refused}`);
  return [...new Set(requested)];
}
