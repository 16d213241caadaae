import type { StartUserImportJobRequest, StartUserImportJobResponse } from '@aws-sdk/client-cognito-identity-provider';
import type { Wire } from '../domain/wire.js';
import { operation } from './operation.js';

export default operation('importJobs')<StartUserImportJobRequest, Wire<StartUserImportJobResponse>>(async (input, { services }) => ({
  UserImportJob: services.importJobs.describe(await services.importJobs.start(input.UserPoolId!, input.JobId!)),
}));
