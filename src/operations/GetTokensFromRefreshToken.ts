import type { GetTokensFromRefreshTokenRequest, GetTokensFromRefreshTokenResponse } from '@aws-sdk/client-cognito-identity-provider';
import { operation } from './operation.js';

export default operation<GetTokensFromRefreshTokenRequest, GetTokensFromRefreshTokenResponse>(async (input, { services }) => ({
  AuthenticationResult: await services.authentication.tokensFromRefreshToken(input.RefreshToken!, input.ClientId!, input.ClientSecret),
}));
