import type { RevokeTokenRequest, RevokeTokenResponse } from '@aws-sdk/client-cognito-identity-provider';
import { operation } from './operation.js';

export default operation('authentication')<RevokeTokenRequest, RevokeTokenResponse>(async (input, { services }) => {
  await services.authentication.revokeRefreshToken(input.Token!, input.ClientId!, input.ClientSecret);
  return {};
});
