import type { GetTokensFromRefreshTokenRequest, GetTokensFromRefreshTokenResponse } from '@aws-sdk/client-cognito-identity-provider';
import { callerOf, operation } from './operation.js';

export default operation('authentication')<GetTokensFromRefreshTokenRequest, GetTokensFromRefreshTokenResponse>(async (input, context) => ({
  AuthenticationResult: await context.services.authentication.tokensFromRefreshToken({
    refreshToken: input.RefreshToken!,
    clientId: input.ClientId!,
    clientSecret: input.ClientSecret,
    deviceKey: input.DeviceKey,
    caller: callerOf(input, context),
    sourceIp: context.sourceIp,
  }),
}));
