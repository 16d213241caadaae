import { isPostgresUrl, type GatehouseConfig } from '../config.js';
import type { Storage } from './types.js';

/**
 * Opens the configured database and brings its schema up to date. Each engine's driver
 * is loaded only when chosen, so an SQLite start never pays for loading pg, and vice versa.
 */
export async function openStorage(config: Pick<GatehouseConfig, 'database' | 'sqlite' | 'postgres'>): Promise<Storage> {
  if (isPostgresUrl(config.database)) {
    const { openPostgres } = await import('./postgres.js');
    return openPostgres(config.database, config.postgres);
  }
  const { openSqlite } = await import('./sqlite.js');
  return openSqlite(config.database, config.sqlite);
}
