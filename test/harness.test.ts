// Proves the test harness provides a working PostgreSQL with per-file databases.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import pg from 'pg';
import { createTestDatabase, postgresAvailable } from './support/postgres.js';

const skip = postgresAvailable()
  ? false
  : 'PostgreSQL not available (GATEHOUSE_TEST_NO_PG=1, or GATEHOUSE_TEST_PG_URL unset: run via `npm test`)';

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

test('createTestDatabase returns a database that accepts queries', { skip }, async () => {
  const url = await createTestDatabase();
  const rows = await query<{ one: number }>(url, 'select 1 as one');
  assert.deepEqual(rows, [{ one: 1 }]);
});

test('each createTestDatabase call gets a distinct, isolated database', { skip }, async () => {
  const [a, b] = await Promise.all([createTestDatabase(), createTestDatabase()]);
  assert.notEqual(a, b);
  const [[nameA], [nameB]] = await Promise.all([
    query<{ db: string }>(a, 'select current_database() as db'),
    query<{ db: string }>(b, 'select current_database() as db'),
  ]);
  assert.equal(nameA?.db, new URL(a).pathname.slice(1));
  assert.equal(nameB?.db, new URL(b).pathname.slice(1));
  // A table created in one must not be visible in the other.
  await query(a, 'create table only_in_a (id int)');
  const tables = await query<{ n: number }>(b, "select count(*)::int as n from pg_tables where tablename = 'only_in_a'");
  assert.deepEqual(tables, [{ n: 0 }]);
});
