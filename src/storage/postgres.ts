import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { GatehouseConfig } from '../config.js';
import type { Database } from './sql/schema.js';
import { SqlStorage } from './sql/sql-storage.js';
import { preparedSql } from './sql/prepared.js';

const INT8 = 20;

// node-postgres hands back bigint columns as strings; every bigint here is an epoch millisecond.
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8 ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

/** Statement names by SQL text, shared by every connection; each connection prepares a name on first use. */
const statementNames = new Map<string, string>();

/** PostgreSQL refuses a named statement whose result columns changed since it was prepared (another node migrated). */
const isStalePlan = (error: unknown) => (error as { code?: string } | null)?.code === '0A000';

/**
 * The hot lookups (prepared.ts) run as named statements: PostgreSQL parses and plans each once per
 * connection rather than on every call, which is most of what a lookup by key costs it. Any
 * other SQL runs as sent. A statement made stale by a schema change goes back to running unnamed.
 */
function useNamedStatements(client: pg.PoolClient): void {
  const query = client.query.bind(client) as (...args: unknown[]) => Promise<pg.QueryResult>;
  (client as { query: unknown }).query = (text: unknown, values?: unknown[], ...rest: unknown[]) => {
    if (typeof text !== 'string' || !preparedSql.has(text) || rest.length > 0) return query(text, values, ...rest);
    let name = statementNames.get(text);
    if (!name) statementNames.set(text, (name = `gatehouse_${statementNames.size + 1}`));
    return query({ name, text, values }).catch((error: unknown) => {
      if (!isStalePlan(error)) throw error;
      preparedSql.delete(text);
      return query(text, values);
    });
  };
}

const isDuplicateKey = (error: unknown) => (error as { code?: string } | null)?.code === '23505';

export async function openPostgres(url: string, options: GatehouseConfig['postgres']): Promise<SqlStorage> {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize,
    connectionTimeoutMillis: options.connectionTimeoutMs,
    statement_timeout: options.statementTimeoutMs,
    // The server ends a slow statement itself; this bounds the wait when it cannot (hung, or the
    // network between is gone), a little later so that the server's own timeout normally wins.
    query_timeout: options.statementTimeoutMs + 1000,
    types,
  });
  // An idle connection that dies with the server must not crash the process.
  pool.on('error', () => {});
  // Nor one that is checked out: the pool drops its own listener while a client is lent, and a
  // connection the server ends between two queries (a shutdown, a crash) then emits 'error' with
  // nobody listening. The next query on it fails instead, and the pool discards it on release.
  pool.on('connect', (client) => {
    client.on('error', () => {});
    useNamedStatements(client);
  });
  const storage = new SqlStorage('postgres', new Kysely<Database>({ dialect: new PostgresDialect({ pool }) }), isDuplicateKey, () => ({
    total: pool.totalCount,
    idle: pool.idleCount,
    waiting: pool.waitingCount,
  }));
  await storage.migrate();
  return storage;
}
