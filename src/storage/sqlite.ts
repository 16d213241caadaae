import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect, type SqliteDatabase } from 'kysely';
import type { GatehouseConfig } from '../config.js';
import type { Database } from './sql/schema.js';
import { SqlStorage } from './sql/sql-storage.js';

const isDuplicateKey = (error: unknown) =>
  error instanceof Error && /^SQLITE_CONSTRAINT_(PRIMARYKEY|UNIQUE)$/.test((error as { code?: string }).code ?? '');

export async function openSqlite(path: string, options: GatehouseConfig['sqlite']): Promise<SqlStorage> {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const database = new BetterSqlite3(path, { timeout: options.busyTimeoutMs });
  // WAL lets readers run beside the writer; a commit is on disk (FULL) or in the OS (NORMAL)
  // before the client hears about it, so an acknowledged write survives kill -9.
  database.pragma('journal_mode = WAL');
  database.pragma(`synchronous = ${options.synchronous}`);
  database.pragma('foreign_keys = ON');
  const storage = new SqlStorage('sqlite', new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(database) }) }), isDuplicateKey);
  await storage.migrate();
  return storage;
}

const STATEMENT_CACHE_SIZE = 500;

/**
 * Kysely prepares every query anew; preparing costs more than running most of ours. Statements
 * are reusable one call at a time, and better-sqlite3 runs them synchronously, so a cache keyed
 * by the SQL text is safe. Oldest entries go first once it is full.
 */
function withStatementCache(database: BetterSqlite3.Database): SqliteDatabase {
  const cache = new Map<string, BetterSqlite3.Statement>();
  return {
    prepare(sql: string) {
      let statement = cache.get(sql);
      if (!statement) {
        statement = database.prepare(sql);
        if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value!);
        cache.set(sql, statement);
      }
      return statement as unknown as ReturnType<SqliteDatabase['prepare']>;
    },
    close: () => database.close(),
  };
}
