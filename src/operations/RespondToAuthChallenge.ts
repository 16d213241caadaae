import type { RespondToAuthChallengeRequest, RespondToAuthChallengeResponse } from '@aws-sdk/client-cognito-identity-provider';
import { callerOf, operation, signInContextOf } from './operation.js';

export default operation('authentication')<RespondToAuthChallengeRequest, RespondToAuthChallengeResponse>((input, context) =>
  context.services.authentication.respond({
    clientId: input.ClientId!,
    challenge: input.ChallengeName!,
    session: input.Session,
    responses: input.ChallengeResponses ?? {},
    sourceIp: context.sourceIp,
    context: signInContextOf(input, context),
    caller: callerOf(input, context),
  }),
);
