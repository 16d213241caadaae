import type { ListUsersRequest, ListUsersResponse } from '@aws-sdk/client-cognito-identity-provider';
import { decodePageToken, encodePageToken } from '../domain/pagination.js';
import { describeUser } from '../domain/users/user-description.js';
import type { Wire } from '../domain/wire.js';
import { operation } from './operation.js';

const DEFAULT_LIMIT = 60;

export default operation('users')<ListUsersRequest, Wire<ListUsersResponse>>(async (input, { services }) => {
  const after = decodePageToken(input.PaginationToken, 'PaginationToken');
  const page = await services.users.list(input.UserPoolId!, input.Limit || DEFAULT_LIMIT, input.Filter, after, input.AttributesToGet);
  return {
    Users: page.items.map((user) => describeUser(user, input.AttributesToGet)),
    ...(page.nextKey !== undefined && { PaginationToken: encodePageToken(page.nextKey) }),
  };
});
