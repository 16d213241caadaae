import type { AdminDeleteSoftwareTokenRequest, AdminDeleteSoftwareTokenResponse } from '@aws-sdk/client-cognito-identity-provider';
import { operation } from './operation.js';

/** A user without an authenticator is left as is: the model has no error for it, and the call means "none after this". */
export default operation('mfa')<AdminDeleteSoftwareTokenRequest, AdminDeleteSoftwareTokenResponse>(async (input, { services }) => {
  await services.mfa.deleteSoftwareToken({ poolId: input.UserPoolId!, username: input.Username! });
  return {};
});
