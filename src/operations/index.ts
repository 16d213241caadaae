import AddCustomAttributes from './AddCustomAttributes.js';
import AdminConfirmSignUp from './AdminConfirmSignUp.js';
import AdminCreateUser from './AdminCreateUser.js';
import AdminDeleteUser from './AdminDeleteUser.js';
import AdminDeleteUserAttributes from './AdminDeleteUserAttributes.js';
import AdminDisableUser from './AdminDisableUser.js';
import AdminEnableUser from './AdminEnableUser.js';
import AdminGetUser from './AdminGetUser.js';
import AdminResetUserPassword from './AdminResetUserPassword.js';
import AdminSetUserPassword from './AdminSetUserPassword.js';
import AdminUpdateUserAttributes from './AdminUpdateUserAttributes.js';
import CreateUserPool from './CreateUserPool.js';
import CreateUserPoolClient from './CreateUserPoolClient.js';
import DeleteUserPool from './DeleteUserPool.js';
import DeleteUserPoolClient from './DeleteUserPoolClient.js';
import DescribeUserPool from './DescribeUserPool.js';
import DescribeUserPoolClient from './DescribeUserPoolClient.js';
import ListTagsForResource from './ListTagsForResource.js';
import ListUserPoolClients from './ListUserPoolClients.js';
import ListUserPools from './ListUserPools.js';
import ListUsers from './ListUsers.js';
import TagResource from './TagResource.js';
import UntagResource from './UntagResource.js';
import UpdateUserPool from './UpdateUserPool.js';
import UpdateUserPoolClient from './UpdateUserPoolClient.js';
import type { Operation } from './operation.js';

/** Every operation Gatehouse implements, by its X-Amz-Target name. */
export const operations: Readonly<Record<string, Operation>> = {
  AddCustomAttributes,
  AdminConfirmSignUp,
  AdminCreateUser,
  AdminDeleteUser,
  AdminDeleteUserAttributes,
  AdminDisableUser,
  AdminEnableUser,
  AdminGetUser,
  AdminResetUserPassword,
  AdminSetUserPassword,
  AdminUpdateUserAttributes,
  CreateUserPool,
  CreateUserPoolClient,
  DeleteUserPool,
  DeleteUserPoolClient,
  DescribeUserPool,
  DescribeUserPoolClient,
  ListTagsForResource,
  ListUserPoolClients,
  ListUserPools,
  ListUsers,
  TagResource,
  UntagResource,
  UpdateUserPool,
  UpdateUserPoolClient,
};
