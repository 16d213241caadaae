import { sql, type Kysely } from 'kysely';

/**
 * A sign-in session may belong to no user: with PreventUserExistenceErrors an unknown user's SRP
 * challenge is stored like anyone's, so that answering it costs what answering a real one costs.
 * The table is rebuilt without its foreign key to users (SQLite cannot drop one in place); a
 * session whose user is deleted simply finds no user when it is answered, and expires.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('auth_sessions_next')
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('pool_id', 'text', (c) => c.notNull())
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('sub', 'text', (c) => c.notNull())
    .addColumn('challenge', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('used_at', 'bigint')
    .addPrimaryKeyConstraint('auth_sessions_pk', ['id'])
    .execute();
  await sql`insert into auth_sessions_next (id, pool_id, client_id, sub, challenge, state, expires_at, used_at)
            select id, pool_id, client_id, sub, challenge, state, expires_at, used_at from auth_sessions`.execute(db);
  await db.schema.dropTable('auth_sessions').execute();
  await db.schema.alterTable('auth_sessions_next').renameTo('auth_sessions').execute();
  await db.schema.createIndex('auth_sessions_expiry').on('auth_sessions').column('expires_at').execute();
}
