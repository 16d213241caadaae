import type { AdminUpdateAuthEventFeedbackRequest, AdminUpdateAuthEventFeedbackResponse } from '@aws-sdk/client-cognito-identity-provider';
import { operation } from './operation.js';

export default operation('userAuthEvents')<AdminUpdateAuthEventFeedbackRequest, AdminUpdateAuthEventFeedbackResponse>(async (input, { services }) => {
  await services.userAuthEvents.adminFeedback(input.UserPoolId!, input.Username!, input.EventId!, input.FeedbackValue!);
  return {};
});
