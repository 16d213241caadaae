import type { AdminListDevicesRequest, AdminListDevicesResponse } from '@aws-sdk/client-cognito-identity-provider';
import type { Wire } from '../domain/wire.js';
import { operation } from './operation.js';

export default operation('devices', 'users')<AdminListDevicesRequest, Wire<AdminListDevicesResponse>>(async (input, { services }) => {
  const { user } = await services.users.get(input.UserPoolId!, input.Username!);
  return services.devices.list(user, input.Limit, input.PaginationToken);
});
