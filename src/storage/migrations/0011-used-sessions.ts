import type { Kysely } from 'kysely';

/**
 * An answered challenge session is marked used rather than deleted, until it expires, so a second
 * answer is told "session can only be used once" as Cognito tells it; expired sessions are swept.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('auth_sessions').addColumn('used_at', 'bigint').execute();
  await db.schema.createIndex('auth_sessions_expiry').on('auth_sessions').column('expires_at').execute();
}
