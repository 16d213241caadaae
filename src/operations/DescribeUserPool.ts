import type { DescribeUserPoolRequest, DescribeUserPoolResponse } from '@aws-sdk/client-cognito-identity-provider';
import type { Wire } from '../domain/wire.js';
import { operation } from './operation.js';

export default operation('pools', 'userPoolDomains')<DescribeUserPoolRequest, Wire<DescribeUserPoolResponse>>(async (input, { services }) => {
  const pool = await services.pools.get(input.UserPoolId!);
  return { UserPool: { ...services.pools.describe(pool), ...(await services.userPoolDomains.namesOf(pool.id)) } };
});
