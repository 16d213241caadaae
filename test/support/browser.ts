// A real browser for page tests: Debian's chromium driven by playwright-core (Playwright's own
// browser download cannot work on these machines, so only playwright-core is a dependency).
//
// launchBrowser() finds a chromium executable; if there is none it installs Debian's `chromium`
// package, at most once per test run (as root only, under a lock file so that two test files never
// run apt at once, with a timeout), then launches it headless. When it cannot, it returns undefined
// and prints one loud warning to stderr; the page tests then skip with the reason as their skip
// message (`test(name, { skip: browserSkipReason() }, ...)`).
//
// Env:
//   CHROME_PATH=/path/to/chromium              use this executable (no search, no install)
//   GATEHOUSE_TEST_NO_BROWSER_INSTALL=1        never run apt-get; skip when chromium is missing
//   GATEHOUSE_TEST_BROWSER_INSTALL_TIMEOUT_MS  the whole install's budget (default 600000)
//   GATEHOUSE_TEST_REQUIRE_BROWSER=1           no browser is an error, not a skip (for CI that must run them)
import { spawn } from 'node:child_process';
import { accessSync, constants as fsConstants, createWriteStream, mkdirSync, readFileSync, statSync, unlinkSync, writeFileSync, openSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';

// <repo>/dist/test/support/browser.js -> <repo>
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const outputDir = join(repoRoot, 'test-output');

const DEBIAN_PACKAGE = 'chromium';
const KNOWN_PATHS = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];
const PATH_NAMES = ['chromium', 'chromium-browser'];
// Both files are machine-wide, as apt is: two checkouts testing at once share them.
const LOCK_FILE = join(tmpdir(), 'gatehouse-chromium-install.lock');
const FAILURE_FILE = join(tmpdir(), 'gatehouse-chromium-install-failed.json');

// Headless on a machine whose only network is loopback and two package registries: without the
// background-networking switches Chromium keeps opening connections that are refused (Playwright
// passes most of these itself; repeating them here keeps them whatever its defaults become).
const LAUNCH_ARGS = [
  '--no-sandbox', // root (CI) cannot use Chromium's sandbox
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

function envTimeout(): number {
  const raw = Number(process.env.GATEHOUSE_TEST_BROWSER_INSTALL_TIMEOUT_MS);
  return Number.isFinite(raw) && raw > 0 ? raw : 10 * 60_000;
}

// --- the executable ---------------------------------------------------------------------------

function isExecutableFile(path: string): boolean {
  try {
    accessSync(path, fsConstants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && isExecutableFile(join(dir, name))) return join(dir, name);
  }
  return undefined;
}

function findInstalledChromium(): string | undefined {
  for (const path of KNOWN_PATHS) if (isExecutableFile(path)) return path;
  for (const name of PATH_NAMES) {
    const found = onPath(name);
    if (found) return found;
  }
  return undefined;
}

type Found = { path: string } | { reason: string };

// --- installing it ------------------------------------------------------------------------------

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The lock's holder, or undefined when the lock is free or stale (and then removed). */
function lockHolder(timeoutMs: number): number | undefined {
  let pid: number;
  let age: number;
  try {
    pid = Number(readFileSync(LOCK_FILE, 'utf8').trim());
    age = Date.now() - statSync(LOCK_FILE).mtimeMs;
  } catch {
    return undefined;
  }
  // A holder that died (killed test run) or a lock older than any install may take is stale.
  if (!Number.isInteger(pid) || pid <= 0 || !pidAlive(pid) || age > timeoutMs + 60_000) {
    try {
      unlinkSync(LOCK_FILE);
    } catch {
      /* someone else removed it */
    }
    return undefined;
  }
  return pid;
}

function tryLock(): boolean {
  try {
    const fd = openSync(LOCK_FILE, 'wx');
    writeFileSync(fd, `${process.pid}\n`);
    closeSync(fd);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

function unlock(): void {
  try {
    if (readFileSync(LOCK_FILE, 'utf8').trim() === String(process.pid)) unlinkSync(LOCK_FILE);
  } catch {
    /* already gone */
  }
}

// "Once per test run": every test file of one `node --test` run is a child of the same process,
// so a failed install is remembered under that parent's pid and not tried again in that run.
function recordedFailure(): string | undefined {
  try {
    const recorded = JSON.parse(readFileSync(FAILURE_FILE, 'utf8')) as { runPid?: number; reason?: string };
    return recorded.runPid === process.ppid && recorded.reason ? recorded.reason : undefined;
  } catch {
    return undefined;
  }
}

function recordFailure(reason: string): void {
  try {
    writeFileSync(FAILURE_FILE, JSON.stringify({ runPid: process.ppid, reason, at: new Date().toISOString() }));
  } catch {
    /* only an optimisation */
  }
}

interface CommandResult {
  ok: boolean;
  detail: string;
  /** The output's last 2000 characters. */
  tail: string;
}

/** Runs a command, its output appended to `log`, killed (with its process group) after `timeoutMs`. */
function run(command: string, args: string[], logPath: string, timeoutMs: number): Promise<CommandResult> {
  return new Promise((resolveResult) => {
    const log = createWriteStream(logPath, { flags: 'a' });
    log.write(`\n$ ${command} ${args.join(' ')}\n`);
    const started = performance.now();
    const child = spawn(command, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true, // its own process group, so a timeout also ends apt's download and dpkg children
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive', NEEDRESTART_MODE: 'a' },
    });
    let tail = '';
    const keep = (chunk: Buffer) => {
      log.write(chunk);
      tail = (tail + chunk.toString()).slice(-2000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid!, 'SIGTERM');
      } catch {
        /* already gone */
      }
    }, timeoutMs);
    let finished = false;
    const finish = (result: CommandResult) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      log.end(`[exit: ${result.detail}; ${Math.round(performance.now() - started)} ms]\n`, () => resolveResult(result));
    };
    child.on('error', (error) => finish({ ok: false, detail: `${command}: ${error.message}`, tail }));
    child.on('close', (code, signal) => {
      if (timedOut) return finish({ ok: false, detail: `${command} timed out after ${Math.round(timeoutMs / 1000)} s`, tail });
      const lastLine = tail.trim().split('\n').filter((l) => /^(E:|W:|dpkg)/.test(l)).slice(-2).join(' | ');
      finish({ ok: code === 0, detail: code === 0 ? 'exit 0' : `${command} ${args[0]} failed (${signal ?? `exit ${code}`})${lastLine ? `: ${lastLine}` : ''}`, tail });
    });
  });
}

async function aptInstall(deadline: number): Promise<Found> {
  mkdirSync(outputDir, { recursive: true });
  const logPath = join(outputDir, 'chromium-install.log');
  const remaining = () => Math.max(1_000, deadline - Date.now());
  // Wait for dpkg's own lock rather than fail at once if some other apt is running.
  const lockWait = ['-o', 'DPkg::Lock::Timeout=120'];
  const install = ['install', '-y', '--no-install-recommends', ...lockWait, DEBIAN_PACKAGE];
  console.error(`[browser] chromium not found: installing Debian's ${DEBIAN_PACKAGE} package (apt-get output in ${logPath})`);
  const started = performance.now();
  let result = await run('apt-get', install, logPath, remaining());
  if (!result.ok && Date.now() < deadline) {
    // An earlier install cut off mid-way (say, by this timeout) leaves dpkg asking for this first.
    if (/dpkg --configure -a/.test(result.tail)) await run('dpkg', ['--configure', '-a'], logPath, remaining());
    // A new machine may have no package lists, or lists old enough that the files they name are gone.
    const update = await run('apt-get', ['update', ...lockWait], logPath, remaining());
    if (!update.ok) return { reason: `could not install chromium: ${update.detail} (see ${logPath})` };
    result = await run('apt-get', install, logPath, remaining());
  }
  if (!result.ok) return { reason: `could not install chromium: ${result.detail} (see ${logPath})` };
  const path = findInstalledChromium();
  if (!path) return { reason: `apt-get installed ${DEBIAN_PACKAGE}, but no chromium executable was found afterwards (see ${logPath})` };
  console.error(`[browser] installed ${DEBIAN_PACKAGE} in ${((performance.now() - started) / 1000).toFixed(1)} s: ${path}`);
  return { path };
}

async function installChromium(): Promise<Found> {
  if (process.env.GATEHOUSE_TEST_NO_BROWSER_INSTALL === '1') {
    return { reason: 'chromium is not installed and GATEHOUSE_TEST_NO_BROWSER_INSTALL=1 forbids installing it' };
  }
  if (process.platform !== 'linux') return { reason: `chromium is not installed (and is only installed automatically on Debian Linux, not ${process.platform}); set CHROME_PATH` };
  if (process.getuid?.() !== 0) {
    return { reason: `chromium is not installed, and installing it needs root (this is uid ${process.getuid?.()}): run \`apt-get install chromium\` as root, or set CHROME_PATH` };
  }
  if (!onPath('apt-get')) return { reason: 'chromium is not installed and there is no apt-get to install it with; set CHROME_PATH' };

  const timeoutMs = envTimeout();
  const deadline = Date.now() + timeoutMs;
  // Another test file of this run (or another run on this machine) may be installing it right now.
  for (;;) {
    const failed = recordedFailure();
    if (failed) return { reason: failed };
    const path = findInstalledChromium();
    if (path && lockHolder(timeoutMs) === undefined) return { path };
    if (tryLock()) break;
    if (Date.now() > deadline + 60_000) return { reason: `timed out waiting for another process (pid ${lockHolder(timeoutMs)}) to install chromium (lock ${LOCK_FILE})` };
    await sleep(500);
  }
  try {
    const already = findInstalledChromium(); // installed by whoever held the lock before us
    if (already) return { path: already };
    const found = await aptInstall(deadline);
    if ('reason' in found) recordFailure(found.reason);
    return found;
  } finally {
    unlock();
  }
}

async function locateChromium(): Promise<Found> {
  const explicit = process.env.CHROME_PATH;
  if (explicit) return isExecutableFile(explicit) ? { path: explicit } : { reason: `CHROME_PATH=${explicit} is not an executable file` };
  const path = findInstalledChromium();
  return path ? { path } : installChromium();
}

// --- launching --------------------------------------------------------------------------------

let located: Promise<Found> | undefined;
let skipReason: string | undefined;
let warned = false;

function giveUp(reason: string): undefined {
  skipReason = reason;
  if (process.env.GATEHOUSE_TEST_REQUIRE_BROWSER === '1') {
    throw new Error(`GATEHOUSE_TEST_REQUIRE_BROWSER=1, but there is no browser: ${reason}`);
  }
  if (!warned) {
    warned = true;
    const bar = '!'.repeat(100);
    console.error(`\n${bar}\n!!! BROWSER TESTS SKIPPED: ${reason}\n!!! Page tests need Debian's chromium (apt-get install chromium) or CHROME_PATH.\n${bar}\n`);
  }
  return undefined;
}

/**
 * A headless chromium, or undefined (after one loud warning on stderr) when none can be found,
 * installed or started; browserSkipReason() then says why. The caller closes the browser.
 */
export async function launchBrowser(): Promise<Browser | undefined> {
  if (skipReason) return giveUp(skipReason);
  located ??= locateChromium();
  const found = await located;
  if ('reason' in found) return giveUp(found.reason);
  try {
    return await chromium.launch({ executablePath: found.path, headless: true, args: LAUNCH_ARGS, timeout: 60_000 });
  } catch (error) {
    const message = (error instanceof Error ? error.message : String(error)).split('\n').slice(0, 6).join(' ');
    return giveUp(`chromium at ${found.path} did not start: ${message}`);
  }
}

/** Why launchBrowser() returned undefined (for `test(name, { skip })`), or undefined if it did not. */
export function browserSkipReason(): string | undefined {
  return skipReason;
}

/** Runs `fn` with a page in a new browser context, and always closes the context. */
export async function withPage<T>(browser: Browser, fn: (page: Page) => Promise<T>, options?: BrowserContextOptions): Promise<T> {
  const context = await browser.newContext(options);
  try {
    return await fn(await context.newPage());
  } finally {
    await context.close();
  }
}

/** `test-output/screenshots/<name>.png` in the repository (the directory is created). */
export function screenshotPath(name: string): string {
  const dir = join(outputDir, 'screenshots');
  mkdirSync(dir, { recursive: true });
  const safe = name.replace(/\.png$/i, '').replace(/[^A-Za-z0-9._-]+/g, '-');
  return join(dir, `${safe || 'screenshot'}.png`);
}
