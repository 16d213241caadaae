import type { AdminGetUserRequest, AdminGetUserResponse } from '@aws-sdk/client-cognito-identity-provider';
import { toEpochSeconds } from '../clock.js';
import { attributeList } from '../domain/users/user-description.js';
import type { Wire } from '../domain/wire.js';
import { operation } from './operation.js';

export default operation('secondFactors', 'users')<AdminGetUserRequest, Wire<AdminGetUserResponse>>(async (input, { services }) => {
  const { context, user } = await services.users.get(input.UserPoolId!, input.Username!);
  return {
    Username: user.username,
    UserAttributes: attributeList(user),
    UserCreateDate: toEpochSeconds(user.createdAt),
    UserLastModifiedDate: toEpochSeconds(user.updatedAt),
    Enabled: user.enabled,
    UserStatus: user.status as AdminGetUserResponse['UserStatus'],
    ...services.secondFactors.report(user, context.settings),
  };
});
