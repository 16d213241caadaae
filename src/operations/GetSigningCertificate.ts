import type { GetSigningCertificateRequest, GetSigningCertificateResponse } from '@aws-sdk/client-cognito-identity-provider';
import { certificateBody } from '../domain/federation/saml/saml-pem.js';
import { operation } from './operation.js';

export default operation('samlSigningKeys')<GetSigningCertificateRequest, GetSigningCertificateResponse>(async (input, { services }) => ({
  Certificate: certificateBody((await services.samlSigningKeys.current(input.UserPoolId!)).certificatePem),
}));
