import type { AdminUpdateDeviceStatusRequest } from '@aws-sdk/client-cognito-identity-provider';
import { operation } from './operation.js';

export default operation('devices', 'users')<AdminUpdateDeviceStatusRequest, Record<string, never>>(async (input, { services }) => {
  const { user } = await services.users.get(input.UserPoolId!, input.Username!);
  await services.devices.setRemembered(user, input.DeviceKey!, input.DeviceRememberedStatus === 'remembered');
  return {};
});
