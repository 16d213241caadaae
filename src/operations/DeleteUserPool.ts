import type { DeleteUserPoolRequest } from '@aws-sdk/client-cognito-identity-provider';
import { operation } from './operation.js';

export default operation('pools')<DeleteUserPoolRequest, Record<string, never>>(async (input, { services }) => {
  await services.pools.delete(input.UserPoolId!);
  return {};
});
