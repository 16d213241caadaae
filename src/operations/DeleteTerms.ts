import type { DeleteTermsRequest } from '@aws-sdk/client-cognito-identity-provider';
import { operation } from './operation.js';

export default operation('terms')<DeleteTermsRequest, Record<string, never>>(async (input, { services }) => {
  await services.terms.delete(input.UserPoolId!, input.TermsId!);
  return {};
});
