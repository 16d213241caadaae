import type { AdminResetUserPasswordRequest, AdminResetUserPasswordResponse } from '@aws-sdk/client-cognito-identity-provider';
import { operation } from './operation.js';

export default operation('selfService')<AdminResetUserPasswordRequest, AdminResetUserPasswordResponse>(async (input, { services }) => {
  await services.selfService.adminResetPassword(input.UserPoolId!, input.Username!);
  return {};
});
