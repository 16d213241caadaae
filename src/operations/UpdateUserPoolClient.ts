import type { UpdateUserPoolClientRequest, UpdateUserPoolClientResponse } from '@aws-sdk/client-cognito-identity-provider';
import type { Wire } from '../domain/wire.js';
import { operation } from './operation.js';

export default operation('clients')<UpdateUserPoolClientRequest, Wire<UpdateUserPoolClientResponse>>(async (input, { services }) => ({
  UserPoolClient: services.clients.describe(await services.clients.update(input)),
}));
