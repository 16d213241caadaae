import type { Kysely } from 'kysely';

/**
 * Issue 23: sign-in events (who, when, passed or failed and why, from which client, address and
 * device), for the console's activity pages and, later, AdminListUserAuthEvents. Ids sort by time,
 * so "newest first, before this one" is an index range on either key.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('auth_events')
    .addColumn('event_id', 'text', (c) => c.primaryKey())
    .addColumn('pool_id', 'text', (c) => c.notNull().references('user_pools.id').onDelete('cascade'))
    .addColumn('sub', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('auth_events_by_pool').on('auth_events').columns(['pool_id', 'event_id']).execute();
  await db.schema.createIndex('auth_events_by_user').on('auth_events').columns(['pool_id', 'sub', 'event_id']).execute();
}
