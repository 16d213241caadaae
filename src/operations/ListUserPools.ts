import type { ListUserPoolsRequest, ListUserPoolsResponse } from '@aws-sdk/client-cognito-identity-provider';
import { toEpochSeconds } from '../clock.js';
import { decodePageToken, encodePageToken } from '../domain/pagination.js';
import type { Wire } from '../domain/wire.js';
import { operation } from './operation.js';

// Pools this node's region does not serve are left out: a page may hold fewer than MaxResults, as Cognito's may.
export default operation('pools', 'replicas')<ListUserPoolsRequest, Wire<ListUserPoolsResponse>>(async (input, { services }) => {
  const page = await services.pools.list(input.MaxResults!, decodePageToken(input.NextToken));
  const summaries = await Promise.all(page.items.map((pool) => services.replicas.summary(pool.id)));
  return {
    UserPools: page.items.flatMap((pool, i) => {
      const { served, replicaRegions } = summaries[i]!;
      if (!served) return [];
      return [
        {
          Id: pool.id,
          Name: pool.name,
          LambdaConfig: pool.settings.LambdaConfig ?? {},
          LastModifiedDate: toEpochSeconds(pool.updatedAt),
          CreationDate: toEpochSeconds(pool.createdAt),
          ...(replicaRegions.length > 0 && { ReplicaRegions: replicaRegions }),
        },
      ];
    }),
    ...(page.nextKey !== undefined && { NextToken: encodePageToken(page.nextKey) }),
  };
});
