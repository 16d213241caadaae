import type { GetTokensFromRefreshTokenRequest, GetTokensFromRefreshTokenResponse } from '@aws-sdk/client-cognito-identity-provider';
import { operation } from './operation.js';

export default operation('authentication')<GetTokensFromRefreshTokenRequest, GetTokensFromRefreshTokenResponse>(async (input, { services }) => ({
  AuthenticationResult: await services.authentication.tokensFromRefreshToken({
    refreshToken: input.RefreshToken!,
    clientId: input.ClientId!,
    clientSecret: input.ClientSecret,
    deviceKey: input.DeviceKey,
  }),
}));
