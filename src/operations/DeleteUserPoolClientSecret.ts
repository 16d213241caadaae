import type { DeleteUserPoolClientSecretRequest, DeleteUserPoolClientSecretResponse } from '@aws-sdk/client-cognito-identity-provider';
import { operation } from './operation.js';

export default operation('clients')<DeleteUserPoolClientSecretRequest, DeleteUserPoolClientSecretResponse>(async (input, { services }) => {
  await services.clients.deleteSecret(input.UserPoolId!, input.ClientId!, input.ClientSecretId!);
  return {};
});
