import { randomBytes } from 'node:crypto';
import { link, mkdir, open, readFile, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { syncPath } from './sync-path.js';
import { ConfigError, decodeServerKey, isPostgresUrl, SERVER_KEY_BYTES, SERVER_KEY_FORMAT, type GatehouseConfig } from './config.js';

export interface ServerKey {
  key: Buffer;
  /** config: serverKey or GATEHOUSE_SERVER_KEY; ephemeral: an in-memory database's, gone with it. */
  source: 'config' | 'file' | 'generated' | 'ephemeral';
  /** The key file read or written. */
  file?: string;
}

/** Beside an SQLite file; for PostgreSQL, under the working directory like the default database. */
export function defaultServerKeyFile(database: string): string {
  return isPostgresUrl(database) ? join('.gatehouse', 'server.key') : join(dirname(database), 'server.key');
}

/** The configured key, else the key file (made on first start), else, for `:memory:`, a throwaway key. */
export async function resolveServerKey(config: Pick<GatehouseConfig, 'serverKey' | 'serverKeyFile' | 'database'>): Promise<ServerKey> {
  if (config.serverKey !== undefined) {
    const key = decodeServerKey(config.serverKey);
    if (!key) throw new ConfigError(`serverKey ${SERVER_KEY_FORMAT}`);
    return { key, source: 'config' };
  }
  if (config.serverKeyFile === undefined && config.database === ':memory:') return { key: randomBytes(SERVER_KEY_BYTES), source: 'ephemeral' };
  const file = config.serverKeyFile ?? defaultServerKeyFile(config.database);
  const existing = await readKeyFile(file);
  if (existing) return { key: existing, source: 'file', file };
  const created = await createKeyFile(file);
  // Another process may have linked its key first: everyone goes on with the one on disk.
  return { key: (await readKeyFile(file))!, source: created ? 'generated' : 'file', file };
}

/** The key in a key file, or undefined when there is no such file. */
export async function readKeyFile(file: string): Promise<Buffer | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const key = decodeServerKey(text);
  if (!key) throw new ConfigError(`server key file ${file} ${SERVER_KEY_FORMAT}`);
  return key;
}

/**
 * Writes a key (a new one unless given) whole to a temporary file, then links it into place, which
 * fails if the file exists: of processes starting together exactly one key wins, and none reads a
 * half-written one. False when another process won.
 */
export async function createKeyFile(file: string, key: Buffer = randomBytes(SERVER_KEY_BYTES)): Promise<boolean> {
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  const temporary = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  const handle = await open(temporary, 'wx', 0o600);
  try {
    await handle.writeFile(`${key.toString('base64')}\n`);
    // Lost with a power cut, the key would take every sealed secret with it.
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await link(temporary, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    await unlink(temporary);
  }
  // A new name is on disk only once its directory is.
  await syncPath(dirname(file));
  return true;
}
