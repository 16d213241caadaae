import type { CreateUserPoolRequest, CreateUserPoolResponse } from '@aws-sdk/client-cognito-identity-provider';
import type { Wire } from '../domain/wire.js';
import { operation } from './operation.js';

export default operation('pools')<CreateUserPoolRequest, Wire<CreateUserPoolResponse>>(async (input, { services }) => ({
  UserPool: services.pools.describe(await services.pools.create(input)),
}));
