import type { DescribeUserPoolDomainRequest, DescribeUserPoolDomainResponse } from '@aws-sdk/client-cognito-identity-provider';
import { operation } from './operation.js';

/** An unknown domain is no error: Cognito answers an empty DomainDescription. */
export default operation('userPoolDomains')<DescribeUserPoolDomainRequest, DescribeUserPoolDomainResponse>(async (input, { services }) => {
  const domain = await services.userPoolDomains.find(input.Domain!);
  return { DomainDescription: domain ? services.userPoolDomains.describe(domain) : {} };
});
