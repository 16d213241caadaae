import type { VerifyUserAttributeRequest, VerifyUserAttributeResponse } from '@aws-sdk/client-cognito-identity-provider';
import { operation } from './operation.js';

export default operation('ownAttributes')<VerifyUserAttributeRequest, VerifyUserAttributeResponse>(async (input, { services }) => {
  await services.ownAttributes.verify(input.AccessToken!, input.AttributeName!, input.Code!);
  return {};
});
