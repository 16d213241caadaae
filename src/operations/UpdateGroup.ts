import type { UpdateGroupRequest, UpdateGroupResponse } from '@aws-sdk/client-cognito-identity-provider';
import { describeGroup } from '../domain/groups/groups.js';
import type { Wire } from '../domain/wire.js';
import { operation } from './operation.js';

export default operation('groups')<UpdateGroupRequest, Wire<UpdateGroupResponse>>(async (input, { services }) => ({
  Group: describeGroup(await services.groups.update(input)),
}));
