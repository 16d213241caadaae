import type { SetUICustomizationRequest, SetUICustomizationResponse } from '@aws-sdk/client-cognito-identity-provider';
import type { Wire } from '../domain/wire.js';
import { operation } from './operation.js';

export default operation('uiCustomizations')<Wire<SetUICustomizationRequest>, Wire<SetUICustomizationResponse>>(async (input, { services }) => {
  const customization = await services.uiCustomizations.set(input);
  return { UICustomization: services.uiCustomizations.describe(input.UserPoolId!, input.ClientId, customization) };
});
