import type { ForgotPasswordRequest, ForgotPasswordResponse } from '@aws-sdk/client-cognito-identity-provider';
import { callerOf, operation } from './operation.js';

export default operation('selfService')<ForgotPasswordRequest, ForgotPasswordResponse>(async (input, context) => ({
  CodeDeliveryDetails: await context.services.selfService.forgotPassword({ clientId: input.ClientId!, secretHash: input.SecretHash, caller: callerOf(input, context) }, input.Username!),
}));
