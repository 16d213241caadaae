import type { CreateTermsRequest, CreateTermsResponse } from '@aws-sdk/client-cognito-identity-provider';
import { describeTerms } from '../domain/managed-login/terms.js';
import type { Wire } from '../domain/wire.js';
import { operation } from './operation.js';

export default operation('terms')<CreateTermsRequest, Wire<CreateTermsResponse>>(async (input, { services }) => ({
  Terms: describeTerms(await services.terms.create(input)),
}));
