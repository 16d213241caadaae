import type { SetUserPoolSessionConfigurationRequest, SetUserPoolSessionConfigurationResponse } from '@aws-sdk/client-cognito-identity-provider';
import { operation } from './operation.js';

export default operation('userSessions')<SetUserPoolSessionConfigurationRequest, SetUserPoolSessionConfigurationResponse>((input, { services }) =>
  services.userSessions.setPoolConfiguration(input),
);
