import type { CreateResourceServerRequest, CreateResourceServerResponse } from '@aws-sdk/client-cognito-identity-provider';
import { describeResourceServer } from '../domain/oauth/resource-servers.js';
import { operation } from './operation.js';

export default operation('resourceServers')<CreateResourceServerRequest, CreateResourceServerResponse>(async (input, { services }) => ({
  ResourceServer: describeResourceServer(await services.resourceServers.create(input)),
}));
