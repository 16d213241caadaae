import { isPostgresUrl, type GatehouseConfig } from '../config.js';
import { openPostgres } from './postgres.js';
import { openSqlite } from './sqlite.js';
import type { Storage } from './types.js';

/** Opens the configured database and brings its schema up to date. */
export function openStorage(config: Pick<GatehouseConfig, 'database' | 'sqlite' | 'postgres'>): Promise<Storage> {
  return isPostgresUrl(config.database)
    ? openPostgres(config.database, config.postgres)
    : openSqlite(config.database, config.sqlite);
}
