import type { GetUserPoolSessionConfigurationRequest, GetUserPoolSessionConfigurationResponse } from '@aws-sdk/client-cognito-identity-provider';
import { operation } from './operation.js';

export default operation('userSessions')<GetUserPoolSessionConfigurationRequest, GetUserPoolSessionConfigurationResponse>((input, { services }) =>
  services.userSessions.poolConfiguration(input.UserPoolId!),
);
