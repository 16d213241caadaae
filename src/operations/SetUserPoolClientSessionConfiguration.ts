import type { SetUserPoolClientSessionConfigurationRequest, SetUserPoolClientSessionConfigurationResponse } from '@aws-sdk/client-cognito-identity-provider';
import { operation } from './operation.js';

export default operation('userSessions')<SetUserPoolClientSessionConfigurationRequest, SetUserPoolClientSessionConfigurationResponse>((input, { services }) =>
  services.userSessions.setClientConfiguration(input),
);
