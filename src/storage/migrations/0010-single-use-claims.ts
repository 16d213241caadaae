import type { Kysely } from 'kysely';

/**
 * Things a user may use only once (a TOTP time step), claimed by inserting a row: the primary key
 * makes the first claim win on every node at once. Rows go once they expire.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('single_use_claims')
    .addColumn('pool_id', 'text', (c) => c.notNull())
    .addColumn('sub', 'text', (c) => c.notNull())
    .addColumn('claim', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('single_use_claims_pk', ['pool_id', 'sub', 'claim'])
    .addForeignKeyConstraint('single_use_claims_user', ['pool_id', 'sub'], 'users', ['pool_id', 'sub'], (c) => c.onDelete('cascade'))
    .execute();
}
