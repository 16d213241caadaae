import type { Kysely } from 'kysely';

/**
 * Issue 24: Cognito's token sessions. A session is one sign-in's token family seen from the user's
 * side: its id, when it began and was last used, from where and by what. It lives only as long as
 * its family (deleted with it, and with the user); a revoked or expired family is no session.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('user_sessions')
    .addColumn('session_id', 'text', (c) => c.primaryKey())
    .addColumn('origin_jti', 'text', (c) => c.notNull().unique().references('token_families.origin_jti').onDelete('cascade'))
    .addColumn('pool_id', 'text', (c) => c.notNull())
    .addColumn('sub', 'text', (c) => c.notNull())
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('last_active_at', 'bigint', (c) => c.notNull())
    .addColumn('last_ip', 'text')
    .addColumn('device_type', 'text')
    .execute();
  await db.schema.createIndex('user_sessions_by_user').on('user_sessions').columns(['pool_id', 'sub', 'session_id']).execute();
}
