import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pipeline } from 'node:stream/promises';
import type { Writable } from 'node:stream';
import type { GatehouseConfig } from '../config.js';
import { exportPool } from '../domain/portability/pool-export.js';
import { importPools, type NumberedLine } from '../domain/portability/pool-import.js';
import { withServices } from '../server.js';
import { allPages } from '../domain/pagination.js';
import type { Storage } from '../storage/types.js';
import { importCognitoLocal, readCognitoLocal } from './cognito-local.js';

/** `gatehouse export`: the pools as a pool file on standard output. */
export async function exportCommand(config: GatehouseConfig, poolIds: string[], all: boolean, out: Writable = process.stdout): Promise<number> {
  return withServices(
    config,
    async ({ storage, services }) => {
      const ids = all ? await allPoolIds(storage) : poolIds;
      for (const poolId of ids) {
        for await (const line of exportPool(storage, services.secretBox, poolId)) {
          if (!out.write(`${JSON.stringify(line)}\n`)) await new Promise((resolve) => out.once('drain', resolve));
        }
      }
      process.stderr.write(`exported ${ids.length} pool(s): ${ids.join(', ')}\n`);
      return 0;
    },
    2,
  );
}

/** `gatehouse import [file]`: a pool file (standard input without a file) into the configured database. */
export async function importCommand(config: GatehouseConfig, file: string | undefined): Promise<number> {
  // The file is read twice (checked whole, then written): standard input is kept in a temporary file.
  const spool = file === undefined ? await mkdtemp(join(tmpdir(), 'gatehouse-import-')) : undefined;
  const path = spool ? join(spool, 'pool.jsonl') : file!;
  try {
    if (spool) await pipeline(process.stdin, createWriteStream(path));
    return await withServices(
      config,
      async ({ storage, services }) => {
        const imported = await importPools(() => numberedLines(path), { storage, secretBox: services.secretBox, users: services.users });
        for (const { poolId, counts } of imported) {
          process.stderr.write(`imported pool ${poolId}: ${counts.users} users, ${counts.groups} groups, ${counts.clients} app clients, ${counts.devices} devices, ${counts.documents} settings documents\n`);
        }
        return 0;
      },
      2,
    );
  } finally {
    if (spool) await rm(spool, { recursive: true, force: true });
  }
}

/** `gatehouse import --from-cognito-local <dir>`: cognito-local's pools, clients, groups and users. */
export async function importCognitoLocalCommand(config: GatehouseConfig, directory: string): Promise<number> {
  const data = await readCognitoLocal(directory);
  return withServices(
    config,
    async ({ storage, services }) => {
      for (const { poolId, users, clients, groups } of await importCognitoLocal(data, services, storage)) {
        process.stderr.write(`imported pool ${poolId} from cognito-local: ${users} users, ${groups} groups, ${clients} app clients\n`);
      }
      return 0;
    },
    2,
  );
}

/** `gatehouse import-report`: the rows of a user import job that were not imported, as Cognito logs them. */
export async function importReportCommand(config: GatehouseConfig, poolId: string, jobId: string): Promise<number> {
  return withServices(
    config,
    async ({ services }) => {
      let after: number | undefined;
      for (;;) {
        const page = await services.importJobs.report(poolId, jobId, 1000, after);
        for (const { line, outcome, message } of page.items) process.stdout.write(`[${outcome}] Line Number ${line} - ${message}\n`);
        if (page.nextKey === undefined) return 0;
        after = Number(page.nextKey);
      }
    },
    2,
  );
}

async function allPoolIds(storage: Storage): Promise<string[]> {
  const ids: string[] = [];
  for await (const pool of allPages((after) => storage.pools.list(100, after))) ids.push(pool.id);
  return ids;
}

async function* numberedLines(path: string): AsyncGenerator<NumberedLine> {
  let number = 0;
  for await (const text of createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity })) yield { number: ++number, text };
}
