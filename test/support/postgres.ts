// Per-test-file PostgreSQL databases on the server that test/run.ts provides.
//
// test/run.ts starts one PostgreSQL for the whole run and passes its admin URL
// in GATEHOUSE_TEST_PG_URL. Test files run in parallel processes, so each one
// creates its own databases instead of sharing (and resetting) a common one.
import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** True when a PostgreSQL server was provided for this run. */
export function postgresAvailable(): boolean {
  // GATEHOUSE_TEST_NO_PG also wins when a test file is run directly with
  // `node --test` in a shell that happens to have the URL set.
  return process.env.GATEHOUSE_TEST_NO_PG !== '1' && !!process.env.GATEHOUSE_TEST_PG_URL;
}

/**
 * Creates a fresh, empty database and returns a connection URL for it.
 * Databases are not dropped: the server started by test/run.ts is thrown away
 * after the run. On a long-lived server set via GATEHOUSE_TEST_PG_URL they
 * accumulate under the `gatehouse_test_` prefix.
 */
export async function createTestDatabase(): Promise<string> {
  const adminUrl = process.env.GATEHOUSE_TEST_PG_URL;
  if (!postgresAvailable() || !adminUrl) {
    throw new Error('PostgreSQL is not available for tests (run them via `npm test`, or set GATEHOUSE_TEST_PG_URL)');
  }
  // pid + random suffix: unique across parallel test processes and repeated runs.
  return createDatabaseOn(adminUrl, `gatehouse_test_${process.pid}_${randomBytes(4).toString('hex')}`);
}

/** Creates database `name` on the server `adminUrl` reaches; its URL. */
export async function createDatabaseOn(adminUrl: string, name: string): Promise<string> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
  } finally {
    await client.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}
