import type { ResendConfirmationCodeRequest, ResendConfirmationCodeResponse } from '@aws-sdk/client-cognito-identity-provider';
import { operation } from './operation.js';

export default operation('selfService')<ResendConfirmationCodeRequest, ResendConfirmationCodeResponse>(async (input, { services }) => ({
  CodeDeliveryDetails: await services.selfService.resendConfirmationCode({ clientId: input.ClientId!, secretHash: input.SecretHash }, input.Username!),
}));
