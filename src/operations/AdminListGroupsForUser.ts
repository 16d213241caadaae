import type { AdminListGroupsForUserRequest, AdminListGroupsForUserResponse } from '@aws-sdk/client-cognito-identity-provider';
import { describeGroup } from '../domain/groups/groups.js';
import { decodePageToken, nextTokenOf } from '../domain/pagination.js';
import type { Wire } from '../domain/wire.js';
import { operation } from './operation.js';

export default operation('groups')<AdminListGroupsForUserRequest, Wire<AdminListGroupsForUserResponse>>(async (input, { services }) => {
  const page = await services.groups.listForUser(input.UserPoolId!, input.Username!, input.Limit, decodePageToken(input.NextToken));
  return { Groups: page.items.map(describeGroup), ...nextTokenOf(page) };
});
