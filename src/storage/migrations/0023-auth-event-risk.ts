import type { Kysely } from 'kysely';

/**
 * Issue 24: threat protection counts recent failed sign-ins from one address across every user of a
 * pool, so the address an event came from is a column with an index of its own. Older events keep
 * it only in their body and count for nothing, which ages out within the rating's window.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('auth_events').addColumn('ip_address', 'text').execute();
  await db.schema.createIndex('auth_events_by_address').on('auth_events').columns(['pool_id', 'ip_address', 'event_id']).execute();
}
