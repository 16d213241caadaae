import type { InitiateAuthRequest, InitiateAuthResponse } from '@aws-sdk/client-cognito-identity-provider';
import { callerOf, operation, signInContextOf } from './operation.js';

export default operation('authentication')<InitiateAuthRequest, InitiateAuthResponse>((input, context) =>
  context.services.authentication.initiate(
    { clientId: input.ClientId!, flow: input.AuthFlow!, parameters: input.AuthParameters ?? {}, sourceIp: context.sourceIp, context: signInContextOf(input, context), caller: callerOf(input, context), ...(input.Session && { session: input.Session }) },
    false,
  ),
);
