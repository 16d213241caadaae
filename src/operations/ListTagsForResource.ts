import type { ListTagsForResourceRequest, ListTagsForResourceResponse } from '@aws-sdk/client-cognito-identity-provider';
import { operation } from './operation.js';

export default operation('pools')<ListTagsForResourceRequest, ListTagsForResourceResponse>(async (input, { services }) => ({
  Tags: await services.pools.tagsOf(input.ResourceArn!),
}));
