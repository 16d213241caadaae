import type { GetUICustomizationRequest, GetUICustomizationResponse } from '@aws-sdk/client-cognito-identity-provider';
import type { Wire } from '../domain/wire.js';
import { operation } from './operation.js';

/** A client without a customization of its own shows the pool's (`ALL`). */
export default operation('uiCustomizations')<GetUICustomizationRequest, Wire<GetUICustomizationResponse>>(async (input, { services }) => {
  const customization = await services.uiCustomizations.get(input.UserPoolId!, input.ClientId);
  return { UICustomization: services.uiCustomizations.describe(input.UserPoolId!, input.ClientId, customization) };
});
