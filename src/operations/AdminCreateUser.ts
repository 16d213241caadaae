import type { AdminCreateUserRequest, AdminCreateUserResponse } from '@aws-sdk/client-cognito-identity-provider';
import { describeUser } from '../domain/users/user-description.js';
import type { Wire } from '../domain/wire.js';
import { callerOf, operation } from './operation.js';

export default operation('users')<AdminCreateUserRequest, Wire<AdminCreateUserResponse>>(async (input, context) => ({
  User: describeUser(await context.services.users.adminCreate(input, callerOf(input, context))),
}));
