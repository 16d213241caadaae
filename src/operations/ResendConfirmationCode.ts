import type { ResendConfirmationCodeRequest, ResendConfirmationCodeResponse } from '@aws-sdk/client-cognito-identity-provider';
import { callerOf, operation } from './operation.js';

export default operation('selfService')<ResendConfirmationCodeRequest, ResendConfirmationCodeResponse>(async (input, context) => ({
  CodeDeliveryDetails: await context.services.selfService.resendConfirmationCode({ clientId: input.ClientId!, secretHash: input.SecretHash, caller: callerOf(input, context) }, input.Username!),
}));
