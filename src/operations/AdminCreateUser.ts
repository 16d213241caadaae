import type { AdminCreateUserRequest, AdminCreateUserResponse } from '@aws-sdk/client-cognito-identity-provider';
import { describeUser } from '../domain/users/user-description.js';
import type { Wire } from '../domain/wire.js';
import { operation } from './operation.js';

export default operation('users')<AdminCreateUserRequest, Wire<AdminCreateUserResponse>>(async (input, { services }) => ({
  User: describeUser(await services.users.adminCreate(input)),
}));
