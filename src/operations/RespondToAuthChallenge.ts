import type { RespondToAuthChallengeRequest, RespondToAuthChallengeResponse } from '@aws-sdk/client-cognito-identity-provider';
import { operation } from './operation.js';

export default operation('authentication')<RespondToAuthChallengeRequest, RespondToAuthChallengeResponse>((input, { services, sourceIp }) =>
  services.authentication.respond({
    clientId: input.ClientId!,
    challenge: input.ChallengeName!,
    session: input.Session,
    responses: input.ChallengeResponses ?? {},
    sourceIp,
  }),
);
