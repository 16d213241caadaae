import type { TagResourceRequest, TagResourceResponse } from '@aws-sdk/client-cognito-identity-provider';
import { operation } from './operation.js';

export default operation('pools')<TagResourceRequest, TagResourceResponse>(async (input, { services }) => {
  await services.pools.tag(input.ResourceArn!, input.Tags ?? {});
  return {};
});
