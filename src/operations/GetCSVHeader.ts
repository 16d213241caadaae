import type { GetCSVHeaderRequest, GetCSVHeaderResponse } from '@aws-sdk/client-cognito-identity-provider';
import type { Wire } from '../domain/wire.js';
import { operation } from './operation.js';

export default operation('importJobs')<GetCSVHeaderRequest, Wire<GetCSVHeaderResponse>>(async (input, { services }) => ({
  UserPoolId: input.UserPoolId!,
  CSVHeader: await services.importJobs.csvHeader(input.UserPoolId!),
}));
