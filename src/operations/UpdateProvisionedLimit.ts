import type { UpdateProvisionedLimitRequest, UpdateProvisionedLimitResponse } from '@aws-sdk/client-cognito-identity-provider';
import { operation } from './operation.js';

export default operation('provisionedLimits')<UpdateProvisionedLimitRequest, UpdateProvisionedLimitResponse>(async (input, { services }) => ({
  Limit: await services.provisionedLimits.update(input.LimitDefinition!, input.RequestedLimitValue!),
}));
