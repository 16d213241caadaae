import type { DescribeTermsByClientRequest, DescribeTermsByClientResponse } from '@aws-sdk/client-cognito-identity-provider';
import { describeTerms } from '../domain/managed-login/terms.js';
import type { Wire } from '../domain/wire.js';
import { operation } from './operation.js';

export default operation('terms')<DescribeTermsByClientRequest, Wire<DescribeTermsByClientResponse>>(async (input, { services }) => ({
  Terms: describeTerms(await services.terms.forClient(input.UserPoolId!, input.ClientId!, input.TermsName!)),
}));
