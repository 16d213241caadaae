import type { AdminInitiateAuthRequest, AdminInitiateAuthResponse } from '@aws-sdk/client-cognito-identity-provider';
import { operation } from './operation.js';

export default operation('authentication')<AdminInitiateAuthRequest, AdminInitiateAuthResponse>((input, { services, sourceIp }) =>
  services.authentication.initiate(
    { clientId: input.ClientId!, poolId: input.UserPoolId!, flow: input.AuthFlow!, parameters: input.AuthParameters ?? {}, sourceIp },
    true,
  ),
);
