import type { GetDeviceRequest, GetDeviceResponse } from '@aws-sdk/client-cognito-identity-provider';
import type { Wire } from '../domain/wire.js';
import { operation } from './operation.js';

export default operation('authentication', 'devices')<GetDeviceRequest, Wire<GetDeviceResponse>>(async (input, { services }) => {
  const user = await services.authentication.userOfAccessToken(input.AccessToken ?? '');
  return { Device: await services.devices.describeOne(user, input.DeviceKey!) };
});
