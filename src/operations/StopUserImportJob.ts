import type { StopUserImportJobRequest, StopUserImportJobResponse } from '@aws-sdk/client-cognito-identity-provider';
import type { Wire } from '../domain/wire.js';
import { operation } from './operation.js';

export default operation('importJobs')<StopUserImportJobRequest, Wire<StopUserImportJobResponse>>(async (input, { services }) => ({
  UserImportJob: services.importJobs.describe(await services.importJobs.stop(input.UserPoolId!, input.JobId!)),
}));
