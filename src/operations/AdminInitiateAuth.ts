import type { AdminInitiateAuthRequest, AdminInitiateAuthResponse } from '@aws-sdk/client-cognito-identity-provider';
import { callerOf, operation, signInContextOf } from './operation.js';

export default operation('authentication')<AdminInitiateAuthRequest, AdminInitiateAuthResponse>((input, context) =>
  context.services.authentication.initiate(
    { clientId: input.ClientId!, poolId: input.UserPoolId!, flow: input.AuthFlow!, parameters: input.AuthParameters ?? {}, sourceIp: context.sourceIp, context: signInContextOf(input, context), caller: callerOf(input, context), ...(input.Session && { session: input.Session }) },
    true,
  ),
);
