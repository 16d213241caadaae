import type { GetUserPoolClientSessionConfigurationRequest, GetUserPoolClientSessionConfigurationResponse } from '@aws-sdk/client-cognito-identity-provider';
import { operation } from './operation.js';

export default operation('userSessions')<GetUserPoolClientSessionConfigurationRequest, GetUserPoolClientSessionConfigurationResponse>((input, { services }) =>
  services.userSessions.clientConfiguration(input.UserPoolId!, input.ClientId!),
);
