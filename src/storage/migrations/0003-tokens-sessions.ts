import type { Kysely } from 'kysely';

/**
 * A token family is one sign-in: its refresh token (stored only as a hash) and every access and
 * ID token minted from it share its origin_jti, so revoking the family revokes them all.
 * An auth session is the state behind Cognito's `Session` between challenge and response.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('token_families')
    .addColumn('origin_jti', 'text', (c) => c.primaryKey())
    .addColumn('pool_id', 'text', (c) => c.notNull())
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('sub', 'text', (c) => c.notNull())
    .addColumn('refresh_hash', 'text', (c) => c.notNull().unique())
    .addColumn('device_key', 'text')
    .addColumn('auth_time', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('revoked', 'integer', (c) => c.notNull())
    .addForeignKeyConstraint('token_families_user', ['pool_id', 'sub'], 'users', ['pool_id', 'sub'], (c) => c.onDelete('cascade'))
    .execute();
  await db.schema.createIndex('token_families_by_user').on('token_families').columns(['pool_id', 'sub']).execute();

  await db.schema
    .createTable('auth_sessions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('pool_id', 'text', (c) => c.notNull())
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('sub', 'text', (c) => c.notNull())
    .addColumn('challenge', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addForeignKeyConstraint('auth_sessions_user', ['pool_id', 'sub'], 'users', ['pool_id', 'sub'], (c) => c.onDelete('cascade'))
    .execute();
}
