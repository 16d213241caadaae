import type { Kysely, Selectable } from 'kysely';
import type { ImportJobBody, ImportJobRecord, ImportJobStatus, ImportJobStore, ImportLineRecord, Page } from '../types.js';
import { page } from './page.js';
import type { Database } from './schema.js';

type JobRow = Selectable<Database['user_import_jobs']>;

function toJob(row: JobRow): ImportJobRecord {
  return {
    poolId: row.pool_id,
    jobId: row.job_id,
    status: row.status as ImportJobStatus,
    body: JSON.parse(row.body) as ImportJobBody,
    leaseOwner: row.lease_owner,
    leaseUntil: row.lease_until === null ? null : Number(row.lease_until),
    createdAt: Number(row.created_at),
    version: Number(row.version),
  };
}

/** Statuses a runner picks up; InProgress and Stopping only once their lease has run out. */
const WAITING: ImportJobStatus = 'Pending';
const RUNNING: ImportJobStatus[] = ['InProgress', 'Stopping'];
/** Report lines written per statement: under SQLite's and PostgreSQL's bound-parameter limits. */
const LINES_PER_INSERT = 200;

export class SqlImportJobStore implements ImportJobStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly translate: (error: unknown) => never,
  ) {}

  async insert(job: ImportJobRecord): Promise<void> {
    await this.db
      .insertInto('user_import_jobs')
      .values({
        job_id: job.jobId,
        pool_id: job.poolId,
        status: job.status,
        body: JSON.stringify(job.body),
        lease_owner: job.leaseOwner,
        lease_until: job.leaseUntil,
        created_at: job.createdAt,
      })
      .execute()
      .catch(this.translate);
  }

  async get(poolId: string, jobId: string): Promise<ImportJobRecord | undefined> {
    const row = await this.db.selectFrom('user_import_jobs').selectAll().where('job_id', '=', jobId).where('pool_id', '=', poolId).executeTakeFirst();
    return row && toJob(row);
  }

  async list(poolId: string, limit: number, afterId?: string): Promise<Page<ImportJobRecord>> {
    let query = this.db.selectFrom('user_import_jobs').selectAll().where('pool_id', '=', poolId).orderBy('job_id').limit(limit + 1);
    if (afterId !== undefined) query = query.where('job_id', '>', afterId);
    return page((await query.execute()).map(toJob), limit, (job) => job.jobId);
  }

  async count(poolId: string): Promise<number> {
    const row = await this.db.selectFrom('user_import_jobs').select((eb) => eb.fn.countAll<number>().as('n')).where('pool_id', '=', poolId).executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async update(job: ImportJobRecord): Promise<boolean> {
    const result = await this.db
      .updateTable('user_import_jobs')
      .set((eb) => ({
        status: job.status,
        body: JSON.stringify(job.body),
        lease_owner: job.leaseOwner,
        lease_until: job.leaseUntil,
        version: eb('version', '+', 1),
      }))
      .where('job_id', '=', job.jobId)
      .where('pool_id', '=', job.poolId)
      .where('version', '=', job.version)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async runnable(now: number, limit: number): Promise<ImportJobRecord[]> {
    const rows = await this.db
      .selectFrom('user_import_jobs')
      .selectAll()
      .where((eb) => eb.or([eb('status', '=', WAITING), eb.and([eb('status', 'in', RUNNING), eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)])])]))
      .orderBy('job_id')
      .limit(limit)
      .execute();
    return rows.map(toJob);
  }

  async putFilePart(jobId: string, uploadId: string, part: number, data: Uint8Array): Promise<void> {
    await this.db.insertInto('user_import_parts').values({ job_id: jobId, upload_id: uploadId, part, data }).execute();
  }

  async getFilePart(jobId: string, uploadId: string, part: number): Promise<Uint8Array | undefined> {
    const row = await this.db
      .selectFrom('user_import_parts')
      .select('data')
      .where('job_id', '=', jobId)
      .where('upload_id', '=', uploadId)
      .where('part', '=', part)
      .executeTakeFirst();
    return row?.data;
  }

  async dropFiles(jobId: string, keepUploadId?: string): Promise<void> {
    let query = this.db.deleteFrom('user_import_parts').where('job_id', '=', jobId);
    if (keepUploadId !== undefined) query = query.where('upload_id', '!=', keepUploadId);
    await query.execute();
  }

  async addLines(jobId: string, lines: ImportLineRecord[]): Promise<void> {
    for (let start = 0; start < lines.length; start += LINES_PER_INSERT) {
      await this.db
        .insertInto('user_import_lines')
        .values(lines.slice(start, start + LINES_PER_INSERT).map(({ line, outcome, message }) => ({ job_id: jobId, line, outcome, message })))
        .onConflict((conflict) => conflict.columns(['job_id', 'line']).doNothing())
        .execute();
    }
  }

  async lines(jobId: string, limit: number, afterLine?: number): Promise<Page<ImportLineRecord>> {
    let query = this.db.selectFrom('user_import_lines').select(['line', 'outcome', 'message']).where('job_id', '=', jobId).orderBy('line').limit(limit + 1);
    if (afterLine !== undefined) query = query.where('line', '>', afterLine);
    const rows = (await query.execute()).map((row) => ({ line: Number(row.line), outcome: row.outcome as ImportLineRecord['outcome'], message: row.message }));
    return page(rows, limit, (row) => String(row.line));
  }
}
