import { existsSync } from 'node:fs';
import { copyFile, mkdir, readFile, rename } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ConfigError, decodeServerKey, isPostgresUrl, type GatehouseConfig } from '../config.js';
import { SecretBox } from '../domain/keys/secret-box.js';
import { createKeyFile, defaultServerKeyFile, readKeyFile } from '../server-key.js';
import { BackupError, checkStopped, inspectSqlite, restoreSqlite, snapshotSqlite } from '../storage/sqlite-backup.js';

const POSTGRES = 'On PostgreSQL, back up with pg_dump and restore with pg_restore, and keep the server key (GATEHOUSE_SERVER_KEY) with every dump: see "Backups" in the README.';

/** Where the key beside a backup goes: `<backup>.key`. */
const keyFileOf = (backup: string) => `${backup}.key`;
const keyIdOf = (key: Buffer) => new SecretBox(key).keyId;

/** `gatehouse backup <file>`: a consistent snapshot of the SQLite database while it serves, and its server key beside it. */
export async function backupCommand(config: GatehouseConfig, file: string): Promise<number> {
  if (isPostgresUrl(config.database)) throw new ConfigError(POSTGRES);
  await mkdir(dirname(file), { recursive: true });
  await snapshotSqlite(config.database, file);
  const { sealedWith } = inspectSqlite(file);
  const say = (line: string) => process.stderr.write(`${line}\n`);
  say(`backed up ${config.database} to ${file}`);
  if (config.serverKey !== undefined) {
    say(`its secrets are sealed with the configured server key ${sealedWith ?? ''}: keep GATEHOUSE_SERVER_KEY (or serverKey) with this backup`);
    return 0;
  }
  const keyFile = config.serverKeyFile ?? defaultServerKeyFile(config.database);
  if (!existsSync(keyFile)) {
    say(`no server key at ${keyFile}: the secrets in this backup (signing keys, verifiers) open only with the key they were sealed with${sealedWith ? ` (${sealedWith})` : ''}`);
    return 0;
  }
  await copyFile(keyFile, keyFileOf(file));
  say(`and its server key ${keyIdOf(await readKey(keyFile))} to ${keyFileOf(file)}: keep the two together, and as safe as each other`);
  return 0;
}

/**
 * `gatehouse restore <file>`: the backup in the database's place, with the server key its secrets
 * are sealed with. The server must be stopped; the database replaced is kept beside it.
 */
export async function restoreCommand(config: GatehouseConfig, file: string, force: boolean): Promise<number> {
  if (isPostgresUrl(config.database)) throw new ConfigError(POSTGRES);
  if (!existsSync(file)) throw new BackupError(`${file} does not exist`);
  const { sealedWith } = inspectSqlite(file);
  const target = config.database;
  await mkdir(dirname(target), { recursive: true });
  if (existsSync(target) && !force) throw new BackupError(`${target} exists: restore --force replaces it (it is kept as ${target}.before-restore)`);
  checkStopped(target);
  await installKey(config, file, sealedWith, force);
  await restoreSqlite(file, target);
  process.stderr.write(`restored ${file} to ${target}${sealedWith ? `, its secrets sealed with server key ${sealedWith}` : ''}\n`);
  return 0;
}

/**
 * The key the restored server will open the backup's secrets with: the configured one, which must
 * fit; else the one saved beside the backup, put in the key file's place (another key there is
 * replaced only with --force); else the key file already in place, which must fit.
 */
async function installKey(config: GatehouseConfig, backup: string, sealedWith: string | undefined, force: boolean): Promise<void> {
  const fits = (key: Buffer) => sealedWith === undefined || keyIdOf(key) === sealedWith;
  const refuse = (what: string) => new BackupError(`the backup's secrets are sealed with server key ${sealedWith}; ${what}`);
  if (config.serverKey !== undefined) {
    const configured = decodeServerKey(config.serverKey);
    if (!configured || !fits(configured)) throw refuse(`the configured key is ${configured ? keyIdOf(configured) : 'unreadable'}`);
    return;
  }
  const keyFile = config.serverKeyFile ?? defaultServerKeyFile(config.database);
  const inPlace = await readKeyFile(keyFile);
  const saved = await readKeyFile(keyFileOf(backup));
  if (!saved) {
    if (!inPlace || !fits(inPlace)) throw refuse(`no key was saved beside the backup (${keyFileOf(backup)}), and ${inPlace ? `${keyFile} holds ${keyIdOf(inPlace)}` : `there is none at ${keyFile}`}`);
    return;
  }
  if (!fits(saved)) throw refuse(`the key beside it is ${keyIdOf(saved)}`);
  if (inPlace?.equals(saved)) return;
  if (inPlace) {
    if (!force) throw new BackupError(`${keyFile} holds another server key (${keyIdOf(inPlace)}) than the backup's (${keyIdOf(saved)}): restore --force puts the backup's in its place`);
    await rename(keyFile, `${keyFile}.before-restore`);
  }
  // Synced as a new key is: a restored database without its key would have lost every sealed secret.
  if (!(await createKeyFile(keyFile, saved))) throw new BackupError(`${keyFile} appeared while the restore put the backup's key in place: look at it before restoring again`);
}

async function readKey(file: string): Promise<Buffer> {
  const key = decodeServerKey(await readFile(file, 'utf8'));
  if (!key) throw new BackupError(`${file} is not a server key`);
  return key;
}
