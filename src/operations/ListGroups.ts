import type { ListGroupsRequest, ListGroupsResponse } from '@aws-sdk/client-cognito-identity-provider';
import { describeGroup } from '../domain/groups/groups.js';
import { decodePageToken, nextTokenOf } from '../domain/pagination.js';
import type { Wire } from '../domain/wire.js';
import { operation } from './operation.js';

export default operation('groups')<ListGroupsRequest, Wire<ListGroupsResponse>>(async (input, { services }) => {
  const page = await services.groups.list(input.UserPoolId!, input.Limit, decodePageToken(input.NextToken));
  return { Groups: page.items.map(describeGroup), ...nextTokenOf(page) };
});
