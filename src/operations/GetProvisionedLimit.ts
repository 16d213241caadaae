import type { GetProvisionedLimitRequest, GetProvisionedLimitResponse } from '@aws-sdk/client-cognito-identity-provider';
import { operation } from './operation.js';

export default operation('provisionedLimits')<GetProvisionedLimitRequest, GetProvisionedLimitResponse>(async (input, { services }) => ({
  Limit: await services.provisionedLimits.describe(input.LimitDefinition!),
}));
