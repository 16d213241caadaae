import type { UpdateDeviceStatusRequest } from '@aws-sdk/client-cognito-identity-provider';
import { operation } from './operation.js';

export default operation('authentication', 'devices')<UpdateDeviceStatusRequest, Record<string, never>>(async (input, { services }) => {
  const user = await services.authentication.userOfAccessToken(input.AccessToken!);
  await services.devices.setRemembered(user, input.DeviceKey!, input.DeviceRememberedStatus === 'remembered');
  return {};
});
