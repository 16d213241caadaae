import type { ForgotPasswordRequest, ForgotPasswordResponse } from '@aws-sdk/client-cognito-identity-provider';
import { operation } from './operation.js';

export default operation('selfService')<ForgotPasswordRequest, ForgotPasswordResponse>(async (input, { services }) => ({
  CodeDeliveryDetails: await services.selfService.forgotPassword({ clientId: input.ClientId!, secretHash: input.SecretHash }, input.Username!),
}));
