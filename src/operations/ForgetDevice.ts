import type { ForgetDeviceRequest } from '@aws-sdk/client-cognito-identity-provider';
import { operation } from './operation.js';

export default operation('authentication', 'devices')<ForgetDeviceRequest, Record<string, never>>(async (input, { services }) => {
  const user = await services.authentication.userOfAccessToken(input.AccessToken ?? '');
  await services.devices.forget(user, input.DeviceKey!);
  return {};
});
