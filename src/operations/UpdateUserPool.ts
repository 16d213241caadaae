import type { UpdateUserPoolRequest, UpdateUserPoolResponse } from '@aws-sdk/client-cognito-identity-provider';
import { operation } from './operation.js';

export default operation('pools')<UpdateUserPoolRequest, UpdateUserPoolResponse>(async (input, { services }) => {
  await services.pools.update(input);
  return {};
});
