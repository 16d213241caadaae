import type { DeleteUserPoolRequest } from '@aws-sdk/client-cognito-identity-provider';
import { operation } from './operation.js';

export default operation('pools', 'userPoolDomains')<DeleteUserPoolRequest, Record<string, never>>(async (input, { services }) => {
  await services.userPoolDomains.checkDeletable(input.UserPoolId!);
  await services.pools.delete(input.UserPoolId!);
  return {};
});
