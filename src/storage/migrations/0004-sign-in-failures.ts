import type { Kysely } from 'kysely';

/** Failed sign-ins counted per user in the database, so every node sees the same lockout. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('users').addColumn('failed_sign_ins', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('users').addColumn('last_failed_sign_in', 'bigint').execute();
}
