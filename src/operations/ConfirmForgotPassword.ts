import type { ConfirmForgotPasswordRequest, ConfirmForgotPasswordResponse } from '@aws-sdk/client-cognito-identity-provider';
import { callerOf, operation } from './operation.js';

export default operation('selfService')<ConfirmForgotPasswordRequest, ConfirmForgotPasswordResponse>(async (input, context) => {
  const { services } = context;
  await services.selfService.confirmForgotPassword(
    { clientId: input.ClientId!, secretHash: input.SecretHash, caller: callerOf(input, context) },
    input.Username!,
    input.ConfirmationCode!,
    input.Password!,
  );
  return {};
});
