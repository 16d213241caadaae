import type { RespondToAuthChallengeRequest, RespondToAuthChallengeResponse } from '@aws-sdk/client-cognito-identity-provider';
import { invalidParameter } from '../domain/errors.js';
import { operation } from './operation.js';

export default operation<RespondToAuthChallengeRequest, RespondToAuthChallengeResponse>((input, { services }) => {
  if (input.Session === undefined) throw invalidParameter('Missing required parameter Session');
  return services.authentication.respond({
    clientId: input.ClientId!,
    challenge: input.ChallengeName!,
    session: input.Session,
    responses: input.ChallengeResponses ?? {},
  });
});
