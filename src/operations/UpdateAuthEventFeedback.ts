import type { UpdateAuthEventFeedbackRequest, UpdateAuthEventFeedbackResponse } from '@aws-sdk/client-cognito-identity-provider';
import { operation } from './operation.js';

/** Public: the FeedbackToken from the notification email is what authorises it. */
export default operation('userAuthEvents')<UpdateAuthEventFeedbackRequest, UpdateAuthEventFeedbackResponse>(async (input, { services }) => {
  await services.userAuthEvents.userFeedback(input.UserPoolId!, input.Username!, input.EventId!, input.FeedbackToken!, input.FeedbackValue!);
  return {};
});
