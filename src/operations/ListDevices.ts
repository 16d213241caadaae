import type { ListDevicesRequest, ListDevicesResponse } from '@aws-sdk/client-cognito-identity-provider';
import type { Wire } from '../domain/wire.js';
import { operation } from './operation.js';

export default operation('authentication', 'devices')<ListDevicesRequest, Wire<ListDevicesResponse>>(async (input, { services }) => {
  const user = await services.authentication.userOfAccessToken(input.AccessToken!);
  return services.devices.list(user, input.Limit, input.PaginationToken);
});
