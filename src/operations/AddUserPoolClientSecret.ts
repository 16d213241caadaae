import type { AddUserPoolClientSecretRequest, AddUserPoolClientSecretResponse } from '@aws-sdk/client-cognito-identity-provider';
import { describeSecret } from '../domain/clients/client-secrets.js';
import type { Wire } from '../domain/wire.js';
import { operation } from './operation.js';

/** The value comes back only when Gatehouse generated it: a caller that chose its own has it already. */
export default operation('clients')<AddUserPoolClientSecretRequest, Wire<AddUserPoolClientSecretResponse>>(async (input, { services }) => {
  const secret = await services.clients.addSecret(input.UserPoolId!, input.ClientId!, input.ClientSecret);
  return { ClientSecretDescriptor: describeSecret(secret, input.ClientSecret === undefined) };
});
