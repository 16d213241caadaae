import type { ConfirmForgotPasswordRequest, ConfirmForgotPasswordResponse } from '@aws-sdk/client-cognito-identity-provider';
import { operation } from './operation.js';

export default operation('selfService')<ConfirmForgotPasswordRequest, ConfirmForgotPasswordResponse>(async (input, { services }) => {
  await services.selfService.confirmForgotPassword(
    { clientId: input.ClientId!, secretHash: input.SecretHash },
    input.Username!,
    input.ConfirmationCode!,
    input.Password!,
  );
  return {};
});
