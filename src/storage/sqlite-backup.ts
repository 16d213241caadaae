import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { copyFile, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { syncPath } from '../sync-path.js';

export class BackupError extends Error {}

/**
 * A consistent copy of a live SQLite database: `VACUUM INTO` reads one snapshot (WAL lets the
 * server's writers go on meanwhile) and writes it compacted to a new file, which only then takes
 * the destination's name, so a backup interrupted halfway leaves nothing that looks complete.
 */
export async function snapshotSqlite(source: string, destination: string): Promise<void> {
  if (!existsSync(source)) throw new BackupError(`${source} does not exist`);
  const temporary = `${destination}.${randomBytes(6).toString('hex')}.tmp`;
  const database = new BetterSqlite3(source, { readonly: true, fileMustExist: true, timeout: 30_000 });
  try {
    database.prepare('VACUUM INTO ?').run(temporary);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  } finally {
    database.close();
  }
  await syncPath(temporary);
  await rename(temporary, destination);
  await syncPath(dirname(destination));
}

/** What a backup holds, read without changing it: whether it is a Gatehouse database, and the server key id its secrets are sealed with. */
export function inspectSqlite(path: string): { sealedWith: string | undefined } {
  const database = new BetterSqlite3(path, { readonly: true, fileMustExist: true });
  try {
    database.pragma('schema_version');
  } catch {
    database.close();
    throw new BackupError(`${path} is not an SQLite database`);
  }
  try {
    const migrations = database.prepare("select count(*) as n from sqlite_master where type = 'table' and name = 'kysely_migration'").get() as { n: number };
    if (migrations.n === 0) throw new BackupError(`${path} is not a Gatehouse database`);
    const sealed = database.prepare("select private_key from signing_keys where private_key like 'gh1.%' limit 1").get() as { private_key: string } | undefined;
    return { sealedWith: sealed?.private_key.split('.')[1] };
  } finally {
    database.close();
  }
}

/**
 * Puts a backup in the target's place. The server must be stopped: a live database's WAL would
 * be replayed over the restored file, so a target with a WAL beside it is refused. A target that
 * exists is kept as `<target>.before-restore`.
 */
export async function restoreSqlite(backup: string, target: string): Promise<void> {
  checkStopped(target);
  const temporary = `${target}.${randomBytes(6).toString('hex')}.tmp`;
  await copyFile(backup, temporary);
  await syncPath(temporary);
  if (existsSync(target)) await rename(target, `${target}.before-restore`);
  await rm(`${target}-shm`, { force: true });
  await rename(temporary, target);
  await syncPath(dirname(target));
}

/** Refuses a database with a WAL beside it: a server is running on it, or stopped without closing it. */
export function checkStopped(target: string): void {
  if (existsSync(`${target}-wal`)) throw new BackupError(`${target}-wal exists: is a server running on ${target}? Stop it first (a server that stopped cleanly leaves no WAL).`);
}
