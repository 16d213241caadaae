import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { GatehouseConfig } from '../config.js';
import type { Database } from './sql/schema.js';
import { SqlStorage } from './sql/sql-storage.js';

const INT8 = 20;

// node-postgres hands back bigint columns as strings; every bigint here is an epoch millisecond.
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8 ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

const isDuplicateKey = (error: unknown) => (error as { code?: string } | null)?.code === '23505';

export async function openPostgres(url: string, options: GatehouseConfig['postgres']): Promise<SqlStorage> {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize,
    connectionTimeoutMillis: options.connectionTimeoutMs,
    statement_timeout: options.statementTimeoutMs,
    types,
  });
  // An idle connection that dies with the server must not crash the process.
  pool.on('error', () => {});
  const storage = new SqlStorage('postgres', new Kysely<Database>({ dialect: new PostgresDialect({ pool }) }), isDuplicateKey);
  await storage.migrate();
  return storage;
}
