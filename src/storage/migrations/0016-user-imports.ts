import { PostgresAdapter, sql, type Kysely } from 'kysely';

/**
 * Issue 22: Cognito's user import jobs. A job is a row whose status and lease are columns (the
 * runners of every node look for work by them); its uploaded CSV is kept in parts, so any node can
 * run a job another node received the file for (each upload under its own id: the job names the one
 * that finished last, and a half-written one never mixes with it); its report keeps each row that was not imported.
 * Deleting a pool takes its jobs, their files and their reports with it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const bytes = db.getExecutor().adapter instanceof PostgresAdapter ? sql`bytea` : sql`blob`;
  await db.schema
    .createTable('user_import_jobs')
    .addColumn('job_id', 'text', (c) => c.primaryKey())
    .addColumn('pool_id', 'text', (c) => c.notNull().references('user_pools.id').onDelete('cascade'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('lease_owner', 'text')
    .addColumn('lease_until', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex('user_import_jobs_by_pool').on('user_import_jobs').columns(['pool_id', 'job_id']).execute();
  await db.schema.createIndex('user_import_jobs_by_status').on('user_import_jobs').columns(['status']).execute();
  await db.schema
    .createTable('user_import_parts')
    .addColumn('job_id', 'text', (c) => c.notNull().references('user_import_jobs.job_id').onDelete('cascade'))
    .addColumn('upload_id', 'text', (c) => c.notNull())
    .addColumn('part', 'integer', (c) => c.notNull())
    .addColumn('data', bytes, (c) => c.notNull())
    .addPrimaryKeyConstraint('user_import_parts_pk', ['job_id', 'upload_id', 'part'])
    .execute();
  await db.schema
    .createTable('user_import_lines')
    .addColumn('job_id', 'text', (c) => c.notNull().references('user_import_jobs.job_id').onDelete('cascade'))
    .addColumn('line', 'integer', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('message', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('user_import_lines_pk', ['job_id', 'line'])
    .execute();
}
