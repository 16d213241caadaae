import type { AdminForgetDeviceRequest } from '@aws-sdk/client-cognito-identity-provider';
import { operation } from './operation.js';

export default operation('devices', 'users')<AdminForgetDeviceRequest, Record<string, never>>(async (input, { services }) => {
  const { user } = await services.users.get(input.UserPoolId!, input.Username!);
  await services.devices.forget(user, input.DeviceKey!);
  return {};
});
