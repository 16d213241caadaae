import type { AddCustomAttributesRequest, AddCustomAttributesResponse } from '@aws-sdk/client-cognito-identity-provider';
import { operation } from './operation.js';

export default operation('pools')<AddCustomAttributesRequest, AddCustomAttributesResponse>(async (input, { services }) => {
  await services.pools.addCustomAttributes(input.UserPoolId!, input.CustomAttributes!);
  return {};
});
