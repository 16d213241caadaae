import type { GetLogDeliveryConfigurationRequest, GetLogDeliveryConfigurationResponse } from '@aws-sdk/client-cognito-identity-provider';
import { operation } from './operation.js';

export default operation('poolLogs')<GetLogDeliveryConfigurationRequest, GetLogDeliveryConfigurationResponse>(async (input, { services }) => ({
  LogDeliveryConfiguration: await services.poolLogs.configuration(input.UserPoolId!),
}));
