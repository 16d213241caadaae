import type { DescribeResourceServerRequest, DescribeResourceServerResponse } from '@aws-sdk/client-cognito-identity-provider';
import { describeResourceServer } from '../domain/oauth/resource-servers.js';
import { operation } from './operation.js';

export default operation('resourceServers')<DescribeResourceServerRequest, DescribeResourceServerResponse>(async (input, { services }) => ({
  ResourceServer: describeResourceServer(await services.resourceServers.get(input.UserPoolId!, input.Identifier!)),
}));
