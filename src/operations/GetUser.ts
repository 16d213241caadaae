import type { GetUserRequest, GetUserResponse } from '@aws-sdk/client-cognito-identity-provider';
import { attributeList } from '../domain/users/user-description.js';
import { operation } from './operation.js';

export default operation<GetUserRequest, GetUserResponse>(async (input, { services }) => {
  const user = await services.authentication.userOfAccessToken(input.AccessToken!);
  const { settings } = await services.users.poolContext(user.poolId);
  return { Username: user.username, UserAttributes: attributeList(user), ...services.secondFactors.report(user, settings) };
});
