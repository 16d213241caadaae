import type { InitiateAuthRequest, InitiateAuthResponse } from '@aws-sdk/client-cognito-identity-provider';
import { operation } from './operation.js';

export default operation('authentication')<InitiateAuthRequest, InitiateAuthResponse>((input, { services, sourceIp }) =>
  services.authentication.initiate({ clientId: input.ClientId!, flow: input.AuthFlow!, parameters: input.AuthParameters ?? {}, sourceIp }, false),
);
