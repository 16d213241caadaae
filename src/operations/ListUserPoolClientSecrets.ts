import type { ListUserPoolClientSecretsRequest, ListUserPoolClientSecretsResponse } from '@aws-sdk/client-cognito-identity-provider';
import { describeSecret } from '../domain/clients/client-secrets.js';
import type { Wire } from '../domain/wire.js';
import { operation } from './operation.js';

/** Never the values; two secrets at most, so one page and no NextToken. */
export default operation('clients')<ListUserPoolClientSecretsRequest, Wire<ListUserPoolClientSecretsResponse>>(async (input, { services }) => {
  const client = await services.clients.get(input.UserPoolId!, input.ClientId!);
  return { ClientSecrets: client.secrets.map((secret) => describeSecret(secret, false)) };
});
