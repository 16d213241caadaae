import type { ListIdentityProvidersRequest, ListIdentityProvidersResponse } from '@aws-sdk/client-cognito-identity-provider';
import { decodePageToken, nextTokenOf } from '../domain/pagination.js';
import type { Wire } from '../domain/wire.js';
import { operation } from './operation.js';

/** A page when MaxResults is not given: the most the model allows. */
const MAX_RESULTS = 60;

export default operation('identityProviders')<ListIdentityProvidersRequest, Wire<ListIdentityProvidersResponse>>(async (input, { services }) => {
  const page = await services.identityProviders.list(input.UserPoolId!, input.MaxResults ?? MAX_RESULTS, decodePageToken(input.NextToken));
  return { Providers: page.items.map((document) => services.identityProviders.summarize(document)), ...nextTokenOf(page) };
});
