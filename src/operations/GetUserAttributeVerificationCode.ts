import type { GetUserAttributeVerificationCodeRequest, GetUserAttributeVerificationCodeResponse } from '@aws-sdk/client-cognito-identity-provider';
import { operation } from './operation.js';

export default operation('ownAttributes')<GetUserAttributeVerificationCodeRequest, GetUserAttributeVerificationCodeResponse>(async (input, { services }) => ({
  CodeDeliveryDetails: await services.ownAttributes.sendVerificationCode(input.AccessToken!, input.AttributeName!),
}));
