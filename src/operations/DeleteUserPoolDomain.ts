import type { DeleteUserPoolDomainRequest, DeleteUserPoolDomainResponse } from '@aws-sdk/client-cognito-identity-provider';
import { operation } from './operation.js';

export default operation('userPoolDomains')<DeleteUserPoolDomainRequest, DeleteUserPoolDomainResponse>(async (input, { services }) => {
  await services.userPoolDomains.delete(input.UserPoolId!, input.Domain!);
  return {};
});
