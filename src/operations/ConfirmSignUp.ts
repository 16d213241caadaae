import type { ConfirmSignUpRequest, ConfirmSignUpResponse } from '@aws-sdk/client-cognito-identity-provider';
import { callerOf, operation } from './operation.js';

export default operation('selfService')<ConfirmSignUpRequest, ConfirmSignUpResponse>(async (input, context) => {
  const { services } = context;
  const session = await services.selfService.confirmSignUp(
    { clientId: input.ClientId!, secretHash: input.SecretHash, caller: callerOf(input, context) },
    input.Username!,
    input.ConfirmationCode!,
    input.ForceAliasCreation === true,
  );
  return { Session: session };
});
