import type { ListTermsRequest, ListTermsResponse } from '@aws-sdk/client-cognito-identity-provider';
import { summarizeTerms } from '../domain/managed-login/terms.js';
import { decodePageToken, nextTokenOf } from '../domain/pagination.js';
import type { Wire } from '../domain/wire.js';
import { operation } from './operation.js';

/** A page when MaxResults is not given: the most the model allows. */
const MAX_RESULTS = 60;

export default operation('terms')<ListTermsRequest, Wire<ListTermsResponse>>(async (input, { services }) => {
  const page = await services.terms.list(input.UserPoolId!, input.MaxResults ?? MAX_RESULTS, decodePageToken(input.NextToken));
  return { Terms: page.items.map(summarizeTerms), ...nextTokenOf(page) };
});
