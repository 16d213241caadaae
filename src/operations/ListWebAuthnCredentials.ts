import type { ListWebAuthnCredentialsRequest, ListWebAuthnCredentialsResponse } from '@aws-sdk/client-cognito-identity-provider';
import { decodePageToken, nextTokenOf } from '../domain/pagination.js';
import type { Wire } from '../domain/wire.js';
import { operation } from './operation.js';

/** A page when MaxResults is not given: the most the model allows. */
const MAX_RESULTS = 20;

export default operation('authentication', 'passkeys')<ListWebAuthnCredentialsRequest, Wire<ListWebAuthnCredentialsResponse>>(async (input, { services }) => {
  const { user } = await services.authentication.holderOfAccessToken(input.AccessToken!);
  const page = services.passkeys.list(user, input.MaxResults || MAX_RESULTS, decodePageToken(input.NextToken));
  return { Credentials: page.items, ...nextTokenOf(page) };
});
