import type { DescribeUserImportJobRequest, DescribeUserImportJobResponse } from '@aws-sdk/client-cognito-identity-provider';
import type { Wire } from '../domain/wire.js';
import { operation } from './operation.js';

export default operation('importJobs')<DescribeUserImportJobRequest, Wire<DescribeUserImportJobResponse>>(async (input, { services }) => ({
  UserImportJob: services.importJobs.describe(await services.importJobs.get(input.UserPoolId!, input.JobId!)),
}));
