import type { ChangePasswordRequest, ChangePasswordResponse } from '@aws-sdk/client-cognito-identity-provider';
import { invalidParameter } from '../domain/errors.js';
import { operation } from './operation.js';

export default operation('selfService')<ChangePasswordRequest, ChangePasswordResponse>(async (input, { services }) => {
  if (input.PreviousPassword === undefined) throw invalidParameter('PreviousPassword is required for a user with a password.');
  await services.selfService.changePassword(input.AccessToken!, input.PreviousPassword, input.ProposedPassword!);
  return {};
});
