import type { ListUserImportJobsRequest, ListUserImportJobsResponse } from '@aws-sdk/client-cognito-identity-provider';
import { decodePageToken, encodePageToken } from '../domain/pagination.js';
import type { Wire } from '../domain/wire.js';
import { operation } from './operation.js';

export default operation('importJobs')<ListUserImportJobsRequest, Wire<ListUserImportJobsResponse>>(async (input, { services }) => {
  const after = decodePageToken(input.PaginationToken, 'PaginationToken');
  const page = await services.importJobs.list(input.UserPoolId!, input.MaxResults!, after);
  return {
    UserImportJobs: page.items.map((job) => services.importJobs.describe(job)),
    ...(page.nextKey !== undefined && { PaginationToken: encodePageToken(page.nextKey) }),
  };
});
