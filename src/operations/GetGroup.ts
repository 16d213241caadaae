import type { GetGroupRequest, GetGroupResponse } from '@aws-sdk/client-cognito-identity-provider';
import { describeGroup } from '../domain/groups/groups.js';
import type { Wire } from '../domain/wire.js';
import { operation } from './operation.js';

export default operation('groups')<GetGroupRequest, Wire<GetGroupResponse>>(async (input, { services }) => ({
  Group: describeGroup(await services.groups.get(input.UserPoolId!, input.GroupName!)),
}));
