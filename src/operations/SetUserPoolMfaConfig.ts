import type { SetUserPoolMfaConfigRequest, SetUserPoolMfaConfigResponse } from '@aws-sdk/client-cognito-identity-provider';
import { operation } from './operation.js';

export default operation('mfa')<SetUserPoolMfaConfigRequest, SetUserPoolMfaConfigResponse>((input, { services }) => services.mfa.setPoolConfig(input));
