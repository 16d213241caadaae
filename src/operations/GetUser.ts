import type { GetUserRequest, GetUserResponse } from '@aws-sdk/client-cognito-identity-provider';
import { operation } from './operation.js';

export default operation('ownAttributes', 'secondFactors')<GetUserRequest, GetUserResponse>(async (input, { services }) => {
  const { user, settings, attributes } = await services.ownAttributes.read(input.AccessToken!);
  return { Username: user.username, UserAttributes: attributes, ...services.secondFactors.report(user, settings) };
});
