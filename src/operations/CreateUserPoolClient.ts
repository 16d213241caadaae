import type { CreateUserPoolClientRequest, CreateUserPoolClientResponse } from '@aws-sdk/client-cognito-identity-provider';
import type { Wire } from '../domain/wire.js';
import { operation } from './operation.js';

export default operation('clients')<CreateUserPoolClientRequest, Wire<CreateUserPoolClientResponse>>(async (input, { services }) => ({
  UserPoolClient: services.clients.describe(await services.clients.create(input)),
}));
