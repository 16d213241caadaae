import type { DeleteUserAttributesRequest, DeleteUserAttributesResponse } from '@aws-sdk/client-cognito-identity-provider';
import { operation } from './operation.js';

export default operation('ownAttributes')<DeleteUserAttributesRequest, DeleteUserAttributesResponse>(async (input, { services }) => {
  await services.ownAttributes.delete(input.AccessToken!, input.UserAttributeNames!);
  return {};
});
