import type { DeleteResourceServerRequest } from '@aws-sdk/client-cognito-identity-provider';
import { operation } from './operation.js';

export default operation('resourceServers')<DeleteResourceServerRequest, Record<string, never>>(async (input, { services }) => {
  await services.resourceServers.delete(input.UserPoolId!, input.Identifier!);
  return {};
});
