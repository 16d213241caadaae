import type { DescribeUserPoolClientRequest, DescribeUserPoolClientResponse } from '@aws-sdk/client-cognito-identity-provider';
import type { Wire } from '../domain/wire.js';
import { operation } from './operation.js';

export default operation('clients')<DescribeUserPoolClientRequest, Wire<DescribeUserPoolClientResponse>>(async (input, { services }) => ({
  UserPoolClient: services.clients.describe(await services.clients.get(input.UserPoolId!, input.ClientId!)),
}));
