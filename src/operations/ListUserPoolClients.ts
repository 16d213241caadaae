import type { ListUserPoolClientsRequest, ListUserPoolClientsResponse } from '@aws-sdk/client-cognito-identity-provider';
import { decodePageToken, encodePageToken } from '../domain/pagination.js';
import { operation } from './operation.js';

const DEFAULT_PAGE = 60;

export default operation('clients')<ListUserPoolClientsRequest, ListUserPoolClientsResponse>(async (input, { services }) => {
  const page = await services.clients.list(input.UserPoolId!, input.MaxResults || DEFAULT_PAGE, decodePageToken(input.NextToken));
  return {
    UserPoolClients: page.items.map((client) => ({ ClientId: client.clientId, UserPoolId: client.poolId, ClientName: client.name })),
    ...(page.nextKey !== undefined && { NextToken: encodePageToken(page.nextKey) }),
  };
});
