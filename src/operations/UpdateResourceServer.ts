import type { UpdateResourceServerRequest, UpdateResourceServerResponse } from '@aws-sdk/client-cognito-identity-provider';
import { describeResourceServer } from '../domain/oauth/resource-servers.js';
import { operation } from './operation.js';

export default operation('resourceServers')<UpdateResourceServerRequest, UpdateResourceServerResponse>(async (input, { services }) => ({
  ResourceServer: describeResourceServer(await services.resourceServers.update(input)),
}));
