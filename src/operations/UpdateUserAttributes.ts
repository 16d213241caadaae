import type { UpdateUserAttributesRequest, UpdateUserAttributesResponse } from '@aws-sdk/client-cognito-identity-provider';
import { callerOf, operation } from './operation.js';

export default operation('ownAttributes')<UpdateUserAttributesRequest, UpdateUserAttributesResponse>(async (input, context) => {
  const details = await context.services.ownAttributes.update(input.AccessToken!, input.UserAttributes!, callerOf(input, context));
  return details.length ? { CodeDeliveryDetailsList: details } : {};
});
