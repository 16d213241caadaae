import type { DescribeUserPoolRequest, DescribeUserPoolResponse } from '@aws-sdk/client-cognito-identity-provider';
import type { Wire } from '../domain/wire.js';
import { operation } from './operation.js';

export default operation('pools', 'replicas', 'userPoolDomains')<DescribeUserPoolRequest, Wire<DescribeUserPoolResponse>>(async (input, { services }) => {
  const pool = await services.pools.get(input.UserPoolId!);
  const [names, replicaTags] = await Promise.all([services.userPoolDomains.namesOf(pool.id), services.replicas.localTags(pool.id)]);
  return { UserPool: { ...services.pools.describe(pool), ...names, ...(replicaTags && { UserPoolTags: replicaTags }) } };
});
