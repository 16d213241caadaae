import type { GetUserAttributeVerificationCodeRequest, GetUserAttributeVerificationCodeResponse } from '@aws-sdk/client-cognito-identity-provider';
import { callerOf, operation } from './operation.js';

export default operation('ownAttributes')<GetUserAttributeVerificationCodeRequest, GetUserAttributeVerificationCodeResponse>(async (input, context) => ({
  CodeDeliveryDetails: await context.services.ownAttributes.sendVerificationCode(input.AccessToken!, input.AttributeName!, callerOf(input, context)),
}));
