import type { AdminListUserAuthEventsRequest, AdminListUserAuthEventsResponse } from '@aws-sdk/client-cognito-identity-provider';
import type { Wire } from '../domain/wire.js';
import { operation } from './operation.js';

export default operation('userAuthEvents')<AdminListUserAuthEventsRequest, Wire<AdminListUserAuthEventsResponse>>((input, { services }) =>
  services.userAuthEvents.list(input.UserPoolId!, input.Username!, input.MaxResults, input.NextToken),
);
