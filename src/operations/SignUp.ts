import type { SignUpRequest, SignUpResponse } from '@aws-sdk/client-cognito-identity-provider';
import { callerOf, operation } from './operation.js';

export default operation('selfService')<SignUpRequest, SignUpResponse>((input, context) => context.services.selfService.signUp(input, callerOf(input, context)));
