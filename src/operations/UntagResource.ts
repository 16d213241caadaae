import type { UntagResourceRequest, UntagResourceResponse } from '@aws-sdk/client-cognito-identity-provider';
import { operation } from './operation.js';

export default operation('pools')<UntagResourceRequest, UntagResourceResponse>(async (input, { services }) => {
  await services.pools.untag(input.ResourceArn!, input.TagKeys ?? []);
  return {};
});
