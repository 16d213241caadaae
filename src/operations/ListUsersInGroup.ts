import type { ListUsersInGroupRequest, ListUsersInGroupResponse } from '@aws-sdk/client-cognito-identity-provider';
import { decodePageToken, nextTokenOf } from '../domain/pagination.js';
import { describeUser } from '../domain/users/user-description.js';
import type { Wire } from '../domain/wire.js';
import { operation } from './operation.js';

export default operation('groups')<ListUsersInGroupRequest, Wire<ListUsersInGroupResponse>>(async (input, { services }) => {
  const page = await services.groups.listMembers(input.UserPoolId!, input.GroupName!, input.Limit, decodePageToken(input.NextToken));
  return { Users: page.items.map((user) => describeUser(user)), ...nextTokenOf(page) };
});
