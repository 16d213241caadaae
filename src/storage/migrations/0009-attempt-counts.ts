import type { Kysely } from 'kysely';

/**
 * Per-user attempt counts in fixed one-hour windows (Cognito's per-user quotas: codes resent,
 * codes tried, password changes), in the database so every node draws on the same budget.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('attempt_counts')
    .addColumn('pool_id', 'text', (c) => c.notNull())
    .addColumn('sub', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('window_started_at', 'bigint', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('attempt_counts_pk', ['pool_id', 'sub', 'action'])
    .addForeignKeyConstraint('attempt_counts_user', ['pool_id', 'sub'], 'users', ['pool_id', 'sub'], (c) => c.onDelete('cascade'))
    .execute();
}
