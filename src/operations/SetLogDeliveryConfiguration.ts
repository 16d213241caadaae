import type { SetLogDeliveryConfigurationRequest, SetLogDeliveryConfigurationResponse } from '@aws-sdk/client-cognito-identity-provider';
import { operation } from './operation.js';

export default operation('poolLogs')<SetLogDeliveryConfigurationRequest, SetLogDeliveryConfigurationResponse>(async (input, { services }) => ({
  LogDeliveryConfiguration: await services.poolLogs.configure(input.UserPoolId!, input.LogConfigurations!),
}));
