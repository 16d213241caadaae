import AddCustomAttributes from './AddCustomAttributes.js';
import CreateUserPool from './CreateUserPool.js';
import CreateUserPoolClient from './CreateUserPoolClient.js';
import DeleteUserPool from './DeleteUserPool.js';
import DeleteUserPoolClient from './DeleteUserPoolClient.js';
import DescribeUserPool from './DescribeUserPool.js';
import DescribeUserPoolClient from './DescribeUserPoolClient.js';
import ListTagsForResource from './ListTagsForResource.js';
import ListUserPoolClients from './ListUserPoolClients.js';
import ListUserPools from './ListUserPools.js';
import type { Operation } from './operation.js';
import TagResource from './TagResource.js';
import UntagResource from './UntagResource.js';
import UpdateUserPool from './UpdateUserPool.js';
import UpdateUserPoolClient from './UpdateUserPoolClient.js';

/** Every operation Gatehouse implements, by its X-Amz-Target name. */
export const operations: Readonly<Record<string, Operation>> = {
  AddCustomAttributes,
  CreateUserPool,
  CreateUserPoolClient,
  DeleteUserPool,
  DeleteUserPoolClient,
  DescribeUserPool,
  DescribeUserPoolClient,
  ListTagsForResource,
  ListUserPoolClients,
  ListUserPools,
  TagResource,
  UntagResource,
  UpdateUserPool,
  UpdateUserPoolClient,
};
