import type { Kysely } from 'kysely';

/**
 * SRP sign-in and remembered devices. A user's SRP verifier and a device's verifier are stored
 * sealed with the server key (they can be attacked offline at hash speed); a device exists from
 * the sign-in that issued its key, and gets its verifier when the client confirms it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('users').addColumn('srp_verifier', 'text').execute();
  await db.schema
    .createTable('devices')
    .addColumn('pool_id', 'text', (c) => c.notNull())
    .addColumn('device_key', 'text', (c) => c.notNull())
    .addColumn('sub', 'text', (c) => c.notNull())
    .addColumn('group_key', 'text', (c) => c.notNull())
    .addColumn('verifier', 'text')
    .addColumn('name', 'text')
    .addColumn('remembered', 'integer', (c) => c.notNull())
    .addColumn('last_ip', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('last_authenticated_at', 'bigint')
    .addPrimaryKeyConstraint('devices_pk', ['pool_id', 'device_key'])
    .addForeignKeyConstraint('devices_user', ['pool_id', 'sub'], 'users', ['pool_id', 'sub'], (c) => c.onDelete('cascade'))
    .execute();
  await db.schema.createIndex('devices_by_user').on('devices').columns(['pool_id', 'sub', 'device_key']).execute();
}
