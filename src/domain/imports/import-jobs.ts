import { createHash, randomUUID } from 'node:crypto';
import type { CreateUserImportJobRequest, UserImportJobType } from '@aws-sdk/client-cognito-identity-provider';
import { toEpochSeconds, type Clock } from '../../clock.js';
import type { ImportJobRecord, ImportLineRecord, Page, Storage } from '../../storage/types.js';
import { CognitoError, resourceNotFound } from '../errors.js';
import { timeOrderedId } from '../ids.js';
import { updateVersioned } from '../optimistic.js';
import type { UserPools } from '../pools/user-pools.js';
import type { Wire } from '../wire.js';
import { CSV_LIMITS } from './cognito-csv.js';
import { csvHeader } from './csv-header.js';
import { UploadRefused, type UploadUrls } from './upload-urls.js';

/** How long the upload URL of a new job is valid, as in Cognito. */
const UPLOAD_VALID_MS = 15 * 60_000;
/** A job nobody starts expires: Cognito says within 24 to 48 hours; Gatehouse takes the first. */
const EXPIRES_UNSTARTED_MS = 24 * 3_600_000;
const MAX_JOBS_PER_POOL = 1_000;
/** The file is kept in parts of this size: any node reads one at a time, never the whole file. */
const PART_BYTES = 1024 * 1024;

const preconditionNotMet = (message: string) => new CognitoError('PreconditionNotMetException', message);

/** An id Cognito's pattern accepts (`import-[0-9a-zA-Z-]+`) that sorts in creation order. */
const newJobId = (now: number): string => `import-${timeOrderedId(now)}`;

/**
 * Cognito's user import jobs: created with a pre-signed upload URL, started, stopped, described.
 * Running them is the ImportRunner's work, on whichever node takes the job first.
 */
export class ImportJobs {
  constructor(
    private readonly storage: Storage,
    private readonly pools: UserPools,
    private readonly urls: UploadUrls,
    private readonly clock: Clock,
    /** Told when a job is started, so this node's runner takes it without waiting for its next look. */
    private readonly onStarted: () => void = () => undefined,
  ) {}

  async csvHeader(poolId: string): Promise<string[]> {
    return csvHeader((await this.pools.get(poolId)).settings);
  }

  async create(input: CreateUserImportJobRequest): Promise<ImportJobRecord> {
    const pool = await this.pools.get(input.UserPoolId!);
    if ((await this.storage.importJobs.count(pool.id)) >= MAX_JOBS_PER_POOL) {
      throw new CognitoError('LimitExceededException', `The user pool has reached its limit of ${MAX_JOBS_PER_POOL} import jobs.`);
    }
    const now = this.clock.now();
    const job: ImportJobRecord = {
      poolId: pool.id,
      jobId: newJobId(now),
      status: 'Created',
      body: { name: input.JobName!, cloudWatchLogsRoleArn: input.CloudWatchLogsRoleArn!, imported: 0, skipped: 0, failed: 0, linesDone: 0 },
      leaseOwner: null,
      leaseUntil: null,
      createdAt: now,
      version: 0,
    };
    await this.storage.importJobs.insert(job);
    return job;
  }

  /** The job as it stands; one never started is Expired a day after its creation. */
  async get(poolId: string, jobId: string): Promise<ImportJobRecord> {
    const job = await this.storage.importJobs.get(poolId, jobId);
    if (!job) {
      await this.pools.get(poolId);
      throw resourceNotFound(`Import job ${jobId} does not exist.`);
    }
    return this.expired(job);
  }

  async list(poolId: string, limit: number, afterId?: string): Promise<Page<ImportJobRecord>> {
    await this.pools.get(poolId);
    const page = await this.storage.importJobs.list(poolId, limit, afterId);
    return { ...page, items: await Promise.all(page.items.map((job) => this.expired(job))) };
  }

  /** Queues the job for the runners, once its file is uploaded and the pool can take imported users. */
  async start(poolId: string, jobId: string): Promise<ImportJobRecord> {
    const pool = await this.pools.get(poolId);
    const started = await updateVersioned(
      () => this.get(poolId, jobId),
      (job) => {
        if (job.status !== 'Created') throw preconditionNotMet(`Import job ${jobId} is ${job.status}: only a job in Created can be started.`);
        if (!job.body.upload) throw preconditionNotMet(`No CSV file has been uploaded to import job ${jobId}'s pre-signed URL.`);
        if ((pool.settings.AutoVerifiedAttributes ?? []).length === 0) {
          throw preconditionNotMet('The user pool has no auto-verified attributes: imported users could not reset their passwords.');
        }
        return { ...job, status: 'Pending' as const, body: { ...job.body, startedAt: this.clock.now() } };
      },
      (job) => this.storage.importJobs.update(job),
    );
    this.onStarted();
    return started;
  }

  /** A job waiting to run stops at once; a running one is Stopping until its runner notices. */
  async stop(poolId: string, jobId: string): Promise<ImportJobRecord> {
    return updateVersioned(
      () => this.get(poolId, jobId),
      (job) => {
        if (job.status === 'Pending') return { ...job, status: 'Stopped' as const, body: { ...job.body, completedAt: this.clock.now(), completionMessage: 'The import job was stopped.' } };
        if (job.status === 'InProgress') return { ...job, status: 'Stopping' as const };
        throw preconditionNotMet(`Import job ${jobId} is ${job.status}: only a Pending or InProgress job can be stopped.`);
      },
      (job) => this.storage.importJobs.update(job),
    );
  }

  /** The rows that were skipped or failed, in line order: what Cognito writes to CloudWatch Logs. */
  async report(poolId: string, jobId: string, limit: number, afterLine?: number): Promise<Page<ImportLineRecord>> {
    await this.get(poolId, jobId);
    return this.storage.importJobs.lines(jobId, limit, afterLine);
  }

  /**
   * Takes the file PUT to a job's pre-signed URL, part by part; a new upload replaces an earlier
   * one until the job is started. Returns the file's MD5, which S3 answers as the ETag.
   */
  async receiveUpload(poolId: string, jobId: string, query: { Expires?: string; Signature?: string }, body: AsyncIterable<Uint8Array>): Promise<string> {
    this.urls.check(poolId, jobId, query, this.clock.now());
    const job = await this.storage.importJobs.get(poolId, jobId);
    if (!job) throw new UploadRefused('NoSuchUpload', 'The import job no longer exists.');
    if (job.status !== 'Created') throw new UploadRefused('InvalidRequest', `The import job is ${job.status}: its file can no longer change.`);
    const upload = { id: randomUUID(), parts: 0, bytes: 0 };
    const md5 = createHash('md5');
    try {
      for await (const part of inParts(body, PART_BYTES)) {
        upload.bytes += part.length;
        if (upload.bytes > CSV_LIMITS.bytes) throw new UploadRefused('EntityTooLarge', `Your proposed upload exceeds the maximum allowed size of ${CSV_LIMITS.bytes} bytes.`);
        md5.update(part);
        await this.storage.importJobs.putFilePart(jobId, upload.id, upload.parts++, part);
      }
      await updateVersioned(
        () => this.storage.importJobs.get(poolId, jobId).then((current) => current ?? Promise.reject(new UploadRefused('NoSuchUpload', 'The import job no longer exists.'))),
        (current) => {
          if (current.status !== 'Created') throw new UploadRefused('InvalidRequest', `The import job is ${current.status}: its file can no longer change.`);
          return { ...current, body: { ...current.body, upload } };
        },
        (next) => this.storage.importJobs.update(next),
      );
    } catch (error) {
      await this.storage.importJobs.dropFiles(jobId, (await this.storage.importJobs.get(poolId, jobId))?.body.upload?.id);
      throw error;
    }
    await this.storage.importJobs.dropFiles(jobId, upload.id);
    return md5.digest('hex');
  }

  /** Cognito's UserImportJobType. */
  describe(job: ImportJobRecord): Wire<UserImportJobType> {
    const { body } = job;
    return {
      JobName: body.name,
      JobId: job.jobId,
      UserPoolId: job.poolId,
      PreSignedUrl: this.urls.urlFor(job.poolId, job.jobId, job.createdAt + UPLOAD_VALID_MS),
      CreationDate: toEpochSeconds(job.createdAt),
      ...(body.startedAt !== undefined && { StartDate: toEpochSeconds(body.startedAt) }),
      ...(body.completedAt !== undefined && { CompletionDate: toEpochSeconds(body.completedAt) }),
      Status: job.status,
      CloudWatchLogsRoleArn: body.cloudWatchLogsRoleArn,
      ImportedUsers: body.imported,
      SkippedUsers: body.skipped,
      FailedUsers: body.failed,
      ...(body.completionMessage !== undefined && { CompletionMessage: body.completionMessage }),
    };
  }

  private async expired(job: ImportJobRecord): Promise<ImportJobRecord> {
    if (job.status !== 'Created' || this.clock.now() < job.createdAt + EXPIRES_UNSTARTED_MS) return job;
    const expired: ImportJobRecord = { ...job, status: 'Expired', body: { ...job.body, completionMessage: 'The import job was not started in time.' } };
    if (await this.storage.importJobs.update(expired)) {
      await this.storage.importJobs.dropFiles(job.jobId);
      return { ...expired, version: job.version + 1 };
    }
    return this.get(job.poolId, job.jobId);
  }
}

/** The body re-cut into parts of `size` bytes (the last may be shorter), whatever chunks it arrives in. */
async function* inParts(body: AsyncIterable<Uint8Array>, size: number): AsyncGenerator<Buffer> {
  let pending: Buffer[] = [];
  let length = 0;
  for await (const chunk of body) {
    pending.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    length += chunk.byteLength;
    while (length >= size) {
      const joined = Buffer.concat(pending, length);
      yield joined.subarray(0, size);
      pending = [joined.subarray(size)];
      length -= size;
    }
  }
  if (length > 0) yield Buffer.concat(pending, length);
}
