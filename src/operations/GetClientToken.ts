import type { GetClientTokenRequest, GetClientTokenResponse } from '@aws-sdk/client-cognito-identity-provider';
import { CognitoError, invalidParameter, notAuthorized } from '../domain/errors.js';
import { OAuthError } from '../domain/oauth/oauth-error.js';
import { callerOf, operation } from './operation.js';

/** GetClientToken answers the token endpoint's refusals as Cognito exceptions. */
function asCognitoError(error: unknown): unknown {
  if (!(error instanceof OAuthError)) return error;
  if (error.code === 'invalid_client') return notAuthorized(error.message);
  if (error.code === 'invalid_scope') return new CognitoError('ScopeDoesNotExistException', error.message);
  if (error.code === 'unauthorized_client') return new CognitoError('InvalidOAuthFlowException', error.message);
  return invalidParameter(error.message);
}

export default operation('clientCredentials')<GetClientTokenRequest, GetClientTokenResponse>(async (input, context) => {
  try {
    const token = await context.services.clientCredentials.issue({ clientId: input.ClientId!, secret: input.Secret, scopes: input.Scopes, caller: callerOf(input, context) });
    return { ClientAuthenticationResult: token };
  } catch (error) {
    throw asCognitoError(error);
  }
});
