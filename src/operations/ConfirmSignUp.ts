import type { ConfirmSignUpRequest, ConfirmSignUpResponse } from '@aws-sdk/client-cognito-identity-provider';
import { operation } from './operation.js';

export default operation('selfService')<ConfirmSignUpRequest, ConfirmSignUpResponse>(async (input, { services }) => {
  await services.selfService.confirmSignUp(
    { clientId: input.ClientId!, secretHash: input.SecretHash },
    input.Username!,
    input.ConfirmationCode!,
    input.ForceAliasCreation === true,
  );
  return {};
});
