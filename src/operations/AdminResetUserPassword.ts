import type { AdminResetUserPasswordRequest, AdminResetUserPasswordResponse } from '@aws-sdk/client-cognito-identity-provider';
import { callerOf, operation } from './operation.js';

export default operation('selfService')<AdminResetUserPasswordRequest, AdminResetUserPasswordResponse>(async (input, context) => {
  await context.services.selfService.adminResetPassword(input.UserPoolId!, input.Username!, callerOf(input, context));
  return {};
});
