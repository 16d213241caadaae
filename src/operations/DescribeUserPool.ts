import type { DescribeUserPoolRequest, DescribeUserPoolResponse } from '@aws-sdk/client-cognito-identity-provider';
import type { Wire } from '../domain/wire.js';
import { operation } from './operation.js';

export default operation('pools')<DescribeUserPoolRequest, Wire<DescribeUserPoolResponse>>(async (input, { services }) => ({
  UserPool: services.pools.describe(await services.pools.get(input.UserPoolId!)),
}));
