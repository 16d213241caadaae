import type { Kysely } from 'kysely';

/**
 * Issue 23: in development mode the console shows the messages Gatehouse delivered (codes
 * included), so local testing never needs to dig through the log. Kept in the database so every
 * worker's messages show on any worker's page; trimmed to the newest few hundred.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('message_outbox')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('pool_id', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'bigint', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .execute();
}
