import type { SignUpRequest, SignUpResponse } from '@aws-sdk/client-cognito-identity-provider';
import { operation } from './operation.js';

export default operation('selfService')<SignUpRequest, SignUpResponse>((input, { services }) => services.selfService.signUp(input));
