import type { AdminRespondToAuthChallengeRequest, AdminRespondToAuthChallengeResponse } from '@aws-sdk/client-cognito-identity-provider';
import { operation } from './operation.js';

export default operation('authentication')<AdminRespondToAuthChallengeRequest, AdminRespondToAuthChallengeResponse>((input, { services, sourceIp }) =>
  services.authentication.respond({
    clientId: input.ClientId!,
    poolId: input.UserPoolId!,
    challenge: input.ChallengeName!,
    session: input.Session,
    responses: input.ChallengeResponses ?? {},
    sourceIp,
  }),
);
