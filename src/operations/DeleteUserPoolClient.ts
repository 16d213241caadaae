import type { DeleteUserPoolClientRequest } from '@aws-sdk/client-cognito-identity-provider';
import { operation } from './operation.js';

export default operation('clients')<DeleteUserPoolClientRequest, Record<string, never>>(async (input, { services }) => {
  await services.clients.delete(input.UserPoolId!, input.ClientId!);
  return {};
});
