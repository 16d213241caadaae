import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
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
  const storage = new SqlStorage('sqlite', new Kysely<Database>({ dialect: new SqliteDialect({ database }) }), isDuplicateKey);
  await storage.migrate();
  return storage;
}
