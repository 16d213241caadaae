import type { CreateUserImportJobRequest, CreateUserImportJobResponse } from '@aws-sdk/client-cognito-identity-provider';
import type { Wire } from '../domain/wire.js';
import { operation } from './operation.js';

export default operation('importJobs')<CreateUserImportJobRequest, Wire<CreateUserImportJobResponse>>(async (input, { services }) => ({
  UserImportJob: services.importJobs.describe(await services.importJobs.create(input)),
}));
