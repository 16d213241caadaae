import type { ListResourceServersRequest, ListResourceServersResponse } from '@aws-sdk/client-cognito-identity-provider';
import { describeResourceServer } from '../domain/oauth/resource-servers.js';
import { decodePageToken, nextTokenOf } from '../domain/pagination.js';
import { operation } from './operation.js';

/** A page when MaxResults is not given: the most the model allows. */
const MAX_RESULTS = 50;

export default operation('resourceServers')<ListResourceServersRequest, ListResourceServersResponse>(async (input, { services }) => {
  const page = await services.resourceServers.list(input.UserPoolId!, input.MaxResults ?? MAX_RESULTS, decodePageToken(input.NextToken));
  return { ResourceServers: page.items.map(describeResourceServer), ...nextTokenOf(page) };
});
