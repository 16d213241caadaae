import type { UpdateUserPoolDomainRequest, UpdateUserPoolDomainResponse } from '@aws-sdk/client-cognito-identity-provider';
import { domainWritten } from '../domain/managed-login/domains.js';
import { operation } from './operation.js';

export default operation('userPoolDomains')<UpdateUserPoolDomainRequest, UpdateUserPoolDomainResponse>(async (input, { services }) =>
  domainWritten(await services.userPoolDomains.update(input)),
);
