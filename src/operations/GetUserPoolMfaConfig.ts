import type { GetUserPoolMfaConfigRequest, GetUserPoolMfaConfigResponse } from '@aws-sdk/client-cognito-identity-provider';
import { operation } from './operation.js';

export default operation('mfa')<GetUserPoolMfaConfigRequest, GetUserPoolMfaConfigResponse>((input, { services }) => services.mfa.poolConfig(input.UserPoolId!));
