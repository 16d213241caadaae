import type { AdminGetDeviceRequest, AdminGetDeviceResponse } from '@aws-sdk/client-cognito-identity-provider';
import type { Wire } from '../domain/wire.js';
import { operation } from './operation.js';

export default operation('devices', 'users')<AdminGetDeviceRequest, Wire<AdminGetDeviceResponse>>(async (input, { services }) => {
  const { user } = await services.users.get(input.UserPoolId!, input.Username!);
  return { Device: await services.devices.describeOne(user, input.DeviceKey!) };
});
