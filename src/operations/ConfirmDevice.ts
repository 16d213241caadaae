import type { ConfirmDeviceRequest, ConfirmDeviceResponse } from '@aws-sdk/client-cognito-identity-provider';
import { operation } from './operation.js';

export default operation('authentication', 'devices', 'users')<ConfirmDeviceRequest, ConfirmDeviceResponse>(async (input, { services }) => {
  const user = await services.authentication.userOfAccessToken(input.AccessToken!);
  const { settings } = await services.users.poolContext(user.poolId);
  const UserConfirmationNecessary = await services.devices.confirm(user, settings, {
    deviceKey: input.DeviceKey!,
    passwordVerifier: input.DeviceSecretVerifierConfig?.PasswordVerifier,
    salt: input.DeviceSecretVerifierConfig?.Salt,
    name: input.DeviceName,
  });
  return { UserConfirmationNecessary };
});
