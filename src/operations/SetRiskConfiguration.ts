import type { SetRiskConfigurationRequest, SetRiskConfigurationResponse } from '@aws-sdk/client-cognito-identity-provider';
import type { Wire } from '../domain/wire.js';
import { operation } from './operation.js';

export default operation('riskConfigurations')<Wire<SetRiskConfigurationRequest>, Wire<SetRiskConfigurationResponse>>(async (input, { services }) => ({
  RiskConfiguration: await services.riskConfigurations.set(input),
}));
