import type { Kysely } from 'kysely';

/**
 * Refresh-token rotation: a family's current refresh token is replaced on each refresh,
 * and the one it replaced keeps working until the client's retry grace period ends.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('token_families').addColumn('previous_refresh_hash', 'text').execute();
  await db.schema.alterTable('token_families').addColumn('previous_valid_until', 'bigint').execute();
  await db.schema.createIndex('token_families_previous').on('token_families').column('previous_refresh_hash').execute();
}
