import type { AdminRespondToAuthChallengeRequest, AdminRespondToAuthChallengeResponse } from '@aws-sdk/client-cognito-identity-provider';
import { invalidParameter } from '../domain/errors.js';
import { operation } from './operation.js';

export default operation<AdminRespondToAuthChallengeRequest, AdminRespondToAuthChallengeResponse>((input, { services }) => {
  if (input.Session === undefined) throw invalidParameter('Missing required parameter Session');
  return services.authentication.respond({
    clientId: input.ClientId!,
    poolId: input.UserPoolId!,
    challenge: input.ChallengeName!,
    session: input.Session,
    responses: input.ChallengeResponses ?? {},
  });
});
