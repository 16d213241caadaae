import type { DescribeRiskConfigurationRequest, DescribeRiskConfigurationResponse } from '@aws-sdk/client-cognito-identity-provider';
import type { Wire } from '../domain/wire.js';
import { operation } from './operation.js';

/** A client without a configuration of its own answers with the pool's. */
export default operation('riskConfigurations')<DescribeRiskConfigurationRequest, Wire<DescribeRiskConfigurationResponse>>(async (input, { services }) => ({
  RiskConfiguration: await services.riskConfigurations.describe(input.UserPoolId!, input.ClientId),
}));
