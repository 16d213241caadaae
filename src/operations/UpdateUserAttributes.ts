import type { UpdateUserAttributesRequest, UpdateUserAttributesResponse } from '@aws-sdk/client-cognito-identity-provider';
import { operation } from './operation.js';

export default operation('ownAttributes')<UpdateUserAttributesRequest, UpdateUserAttributesResponse>(async (input, { services }) => {
  const details = await services.ownAttributes.update(input.AccessToken!, input.UserAttributes!);
  return details.length ? { CodeDeliveryDetailsList: details } : {};
});
