import type { CreateGroupRequest, CreateGroupResponse } from '@aws-sdk/client-cognito-identity-provider';
import { describeGroup } from '../domain/groups/groups.js';
import type { Wire } from '../domain/wire.js';
import { operation } from './operation.js';

export default operation('groups')<CreateGroupRequest, Wire<CreateGroupResponse>>(async (input, { services }) => ({
  Group: describeGroup(await services.groups.create(input)),
}));
