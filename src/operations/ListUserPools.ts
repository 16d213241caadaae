import type { ListUserPoolsRequest, ListUserPoolsResponse } from '@aws-sdk/client-cognito-identity-provider';
import { toEpochSeconds } from '../clock.js';
import { decodePageToken, encodePageToken } from '../domain/pagination.js';
import type { Wire } from '../domain/wire.js';
import { operation } from './operation.js';

export default operation('pools')<ListUserPoolsRequest, Wire<ListUserPoolsResponse>>(async (input, { services }) => {
  const page = await services.pools.list(input.MaxResults!, decodePageToken(input.NextToken));
  return {
    UserPools: page.items.map((pool) => ({
      Id: pool.id,
      Name: pool.name,
      LambdaConfig: pool.settings.LambdaConfig ?? {},
      LastModifiedDate: toEpochSeconds(pool.updatedAt),
      CreationDate: toEpochSeconds(pool.createdAt),
    })),
    ...(page.nextKey !== undefined && { NextToken: encodePageToken(page.nextKey) }),
  };
});
