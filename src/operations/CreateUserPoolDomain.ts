import type { CreateUserPoolDomainRequest, CreateUserPoolDomainResponse } from '@aws-sdk/client-cognito-identity-provider';
import { domainWritten } from '../domain/managed-login/domains.js';
import { operation } from './operation.js';

export default operation('userPoolDomains')<CreateUserPoolDomainRequest, CreateUserPoolDomainResponse>(async (input, { services }) =>
  domainWritten(await services.userPoolDomains.create(input)),
);
