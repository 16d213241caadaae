import { sql, type Kysely } from 'kysely';

/**
 * Issue 15's hardening. A version on every record that is read, changed and written back whole (users, pools, app
 * clients, groups). A write lands only on the version it was made from, so two requests that
 * race on one record never undo each other: the later one reads again and reapplies its change.
 * The version also makes single use exact (a TOTP step is recorded on the user), so the claims
 * table that did that job goes.
 *
 * Verification codes are now digested with the server key; digests made before cannot be checked,
 * so codes live at the upgrade (an hour or a day at most) are dropped and must be asked for again.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  for (const table of ['users', 'user_pools', 'user_pool_clients', 'user_groups']) {
    await db.schema.alterTable(table).addColumn('version', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  }
  // The lockout counts attempts being checked beside settled failures, so parallel attempts can be bounded.
  await db.schema.alterTable('users').addColumn('sign_ins_in_flight', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('users').addColumn('last_sign_in_started_at', 'bigint').execute();
  await db.schema.dropTable('single_use_claims').execute();
  await sql`delete from verification_codes`.execute(db);
}
