// Issue 10, point 3: PostgreSQL goes away under load and comes back. This test runs a PostgreSQL of
// its own (the suite's shared one must stay up), starts `gatehouse serve` on it with short timeouts,
// keeps a bounded load of AdminCreateUser + GetUser going, and takes the database away three times:
// a fast shutdown, an immediate one (as a crash), and a hang (SIGSTOP: connections stay open and
// nothing answers, as in a network partition). It checks that every request is answered within a
// bound, failures are well-formed InternalErrorException, the process lives, /ready says 503 while
// /health stays 200, service resumes by itself, and no acknowledged write is lost; that a second
// node which has not loaded a pool's keys calls a token unverifiable (500), not invalid; and that a
// statement stuck behind a lock is cut off by statementTimeoutMs. The figures are printed for the
// issue's closing note. GATEHOUSE_TEST_PG_LOG=1 streams this PostgreSQL's log;
// GATEHOUSE_TEST_OUTAGE_TRACE=1 lists every request around the hang.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import pg from 'pg';
import { startOwnPostgres, type OwnPostgres } from './support/embedded-postgres.js';
import { POSTGRES_SERVER_KEY } from './support/gatehouse.js';
import { serve, type ServerProcess } from './support/process.js';

const skip = process.env.GATEHOUSE_TEST_NO_PG === '1' ? 'GATEHOUSE_TEST_NO_PG=1: no PostgreSQL in this run' : false;

const CONNECTION_TIMEOUT_MS = 1000;
const STATEMENT_TIMEOUT_MS = 2000;
/** No request may take longer than this while the database is up, or down (refusing connections). */
const ANSWER_WITHIN_MS = 3000;
/**
 * When the database hangs instead (connections open, nothing answers), each query waits at most the
 * client-side query timeout, statementTimeoutMs + 1 s; a write then waits once more for its ROLLBACK
 * on the same connection, and /ready for its ping after the failed query.
 */
const QUERY_TIMEOUT_MS = STATEMENT_TIMEOUT_MS + 1000;
const HUNG_ANSWER_WITHIN_MS = 2 * QUERY_TIMEOUT_MS + 1000;
/** /ready stops waiting for a hung database after 2 s. */
const READY_WITHIN_MS = 2500;
/** Service must be back this soon after PostgreSQL accepts connections again. */
const RECOVER_WITHIN_MS = 10_000;
const LOAD_LOOPS = 4;
/** What the nodes share: the server key, and the issuer (the address a load balancer would have). */
const NODE_ENV = { GATEHOUSE_SERVER_KEY: POSTGRES_SERVER_KEY, GATEHOUSE_PUBLIC_URL: 'https://auth.gatehouse.test' };

interface Outcome {
  operation: string;
  startedAt: number;
  ms: number;
  status: number | 'timeout' | 'network error';
  type?: string;
  /** What is wrong with the answer's shape, if anything. */
  problem?: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One API call that never waits longer than 10 s; how it went. */
async function call(url: string, operation: string, body: unknown): Promise<Outcome & { body: any }> {
  const startedAt = performance.now();
  try {
    const response = await fetch(`${url}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `AWSCognitoIdentityProviderService.${operation}` },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
    const text = await response.text();
    let parsed: any;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    const wellFormed =
      response.status === 200 ||
      (/^application\/x-amz-json-1\.1\b/.test(response.headers.get('content-type') ?? '') &&
        typeof parsed?.__type === 'string' &&
        typeof parsed?.message === 'string' &&
        response.headers.get('x-amzn-errortype') === `${parsed.__type}:`);
    const problem = wellFormed ? undefined : `${response.status} content-type ${response.headers.get('content-type')}, x-amzn-errortype ${response.headers.get('x-amzn-errortype')}: ${text.slice(0, 300)}`;
    return { operation, startedAt, ms: performance.now() - startedAt, status: response.status, type: parsed?.__type, problem, body: parsed };
  } catch (error) {
    const status = (error as Error).name === 'TimeoutError' ? 'timeout' : 'network error';
    return { operation, startedAt, ms: performance.now() - startedAt, status, problem: String(error), body: undefined };
  }
}

async function get(url: string, path: string): Promise<{ status: number; body: unknown; ms: number }> {
  const startedAt = performance.now();
  const response = await fetch(`${url}${path}`, { signal: AbortSignal.timeout(10_000) });
  return { status: response.status, body: await response.json(), ms: performance.now() - startedAt };
}

test('PostgreSQL stops mid-load and comes back: fast failures, no crash, readiness, recovery, nothing acknowledged lost', { skip, timeout: 120_000 }, async () => {
  const testStarted = performance.now();
  let postgres: OwnPostgres | undefined;
  let server: ServerProcess | undefined;
  let second: ServerProcess | undefined;
  const dir = await mkdtemp(join(tmpdir(), 'gatehouse-outage-'));
  try {
    // Commits wait for their WAL, so a write acknowledged before an immediate stop must survive it.
    postgres = await startOwnPostgres({ durableCommits: true, ...(process.env.GATEHOUSE_TEST_PG_LOG === '1' && { log: (line: string) => console.error(`[outage pg] ${line}`) }) });
    const database = await postgres.createDatabase('gatehouse_outage');
    const configFile = join(dir, 'gatehouse.json');
    await writeFile(configFile, JSON.stringify({ postgres: { poolSize: 10, connectionTimeoutMs: CONNECTION_TIMEOUT_MS, statementTimeoutMs: STATEMENT_TIMEOUT_MS } }));
    server = await serve(['--db', database, '--config', configFile, '--workers', '1'], NODE_ENV);
    const { url } = server;
    // A second node that has not yet seen the pool (nor loaded its signing keys) when the database goes.
    second = await serve(['--db', database, '--config', configFile, '--workers', '1'], NODE_ENV);

    // A pool, a client and a signed-in user whose access token the GetUser loops present.
    const poolId: string = (await call(url, 'CreateUserPool', { PoolName: 'outage' })).body.UserPool.Id;
    const clientId: string = (await call(url, 'CreateUserPoolClient', { UserPoolId: poolId, ClientName: 'app', ExplicitAuthFlows: ['ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] })).body
      .UserPoolClient.ClientId;
    await call(url, 'AdminCreateUser', { UserPoolId: poolId, Username: 'reader', MessageAction: 'SUPPRESS' });
    await call(url, 'AdminSetUserPassword', { UserPoolId: poolId, Username: 'reader', Password: 'Password1!', Permanent: true });
    const signedIn = await call(url, 'AdminInitiateAuth', { UserPoolId: poolId, ClientId: clientId, AuthFlow: 'ADMIN_USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'reader', PASSWORD: 'Password1!' } });
    assert.equal(signedIn.status, 200, JSON.stringify(signedIn.body));
    const accessToken: string = signedIn.body.AuthenticationResult.AccessToken;

    // --- the load: each loop creates a user, then reads its own user with the access token -----------
    const outcomes: Outcome[] = [];
    const acknowledged: string[] = [];
    let next = 0;
    let loading = true;
    const loops = Array.from({ length: LOAD_LOOPS }, async () => {
      while (loading) {
        const username = `load${next++}`;
        const created = await call(url, 'AdminCreateUser', { UserPoolId: poolId, Username: username, TemporaryPassword: 'Temporary1!', MessageAction: 'SUPPRESS' });
        outcomes.push(created);
        if (created.status === 200) acknowledged.push(username);
        const read = await call(url, 'GetUser', { AccessToken: accessToken });
        outcomes.push(read);
        // A failed call answers at once; pace the loop so an outage is not a busy loop.
        if (created.status !== 200 || read.status !== 200) await sleep(20);
      }
    });

    // --- two outages: a fast shutdown, then an immediate one ------------------------------------------
    const figures: Record<string, unknown>[] = [];
    for (const mode of ['fast', 'immediate'] as const) {
      await sleep(1500); // healthy load first
      const stopAsked = performance.now();
      await postgres.stop(mode);
      const down = performance.now();
      // While it is down: the probes, at a steady pace.
      const probes: { ready: Awaited<ReturnType<typeof get>>; health: Awaited<ReturnType<typeof get>> }[] = [];
      while (performance.now() - down < 3000) {
        probes.push({ ready: await get(url, '/ready'), health: await get(url, '/health') });
        await sleep(200);
      }
      assert.equal(server.child.exitCode, null, 'the server process is still running');
      if (mode === 'fast') {
        // A node that must load the pool's keys to check a token cannot tell a bad token from a missing
        // database: it must say the latter, or the client throws away good tokens.
        const unchecked = await call(second.url, 'GetUser', { AccessToken: accessToken });
        assert.deepEqual([unchecked.status, unchecked.type], [500, 'InternalErrorException'], 'a token whose keys cannot be read is not called invalid');
      }
      const restartAsked = performance.now();
      await postgres.start();
      const up = performance.now();

      // Service resumes by itself: the first AdminCreateUser started after PostgreSQL is back and answered 200.
      let recoveredAt: number | undefined;
      let readyAt: number | undefined;
      while (performance.now() - up < RECOVER_WITHIN_MS && (recoveredAt === undefined || readyAt === undefined)) {
        recoveredAt ??= outcomes.find((o) => o.operation === 'AdminCreateUser' && o.startedAt >= up && o.status === 200)?.startedAt;
        if (readyAt === undefined && (await get(url, '/ready')).status === 200) readyAt = performance.now();
        await sleep(50);
      }
      assert.ok(recoveredAt !== undefined, `AdminCreateUser succeeds again within ${RECOVER_WITHIN_MS} ms of PostgreSQL being back`);
      assert.ok(readyAt !== undefined, `/ready answers 200 again within ${RECOVER_WITHIN_MS} ms`);
      const firstSuccess = outcomes.find((o) => o.operation === 'AdminCreateUser' && o.startedAt >= up && o.status === 200)!;
      await sleep(1000); // healthy load after

      // During the outage (requests started after the stop and answered before the start): all failed, as InternalErrorException.
      const during = outcomes.filter((o) => o.startedAt >= down && o.startedAt + o.ms <= restartAsked);
      const duringFailures = during.filter((o) => o.status !== 200);
      assert.ok(during.length > 0, 'requests were made during the outage');
      assert.equal(duringFailures.length, during.length, 'nothing succeeds without the database');
      for (const o of duringFailures) {
        assert.equal(o.status, 500, `${o.operation} during the outage: ${o.status} ${o.type}`);
        assert.equal(o.type, 'InternalErrorException');
        assert.equal(o.problem, undefined, 'a well-formed awsJson1_1 error');
      }
      // The probes while it was down.
      for (const { ready, health } of probes) {
        assert.equal(health.status, 200, '/health is liveness: it stays 200');
        assert.deepEqual(health.body, { status: 'ok', ready: false, reason: 'database unreachable' }, '/health says it could not serve now');
        assert.equal(ready.status, 503, '/ready is 503 while the database is down');
        assert.deepEqual(ready.body, { status: 'database unreachable' });
        assert.ok(ready.ms < ANSWER_WITHIN_MS, `/ready answered in ${Math.round(ready.ms)} ms`);
      }
      const around = outcomes.filter((o) => o.startedAt >= stopAsked - 500 && o.startedAt <= up);
      figures.push({
        mode,
        outage_ms: Math.round(up - down),
        requests_during_outage: during.length,
        failures_during_outage: duringFailures.length,
        max_ms_during_outage: Math.round(Math.max(...during.map((o) => o.ms))),
        p50_ms_during_outage: Math.round(during.map((o) => o.ms).sort((a, b) => a - b)[Math.floor(during.length / 2)] ?? 0),
        failures_around_outage: around.filter((o) => o.status !== 200).length,
        postgres_restart_ms: Math.round(up - restartAsked),
        recovered_after_ms: Math.round(firstSuccess.startedAt + firstSuccess.ms - up),
        ready_after_ms: Math.round(readyAt! - up),
        ready_probes_503: probes.filter((p) => p.ready.status === 503).length,
        health_probes_200: probes.filter((p) => p.health.status === 200).length,
      });
    }

    // --- a hung database: connections stay open and nothing answers (SIGSTOP), then it wakes --------
    // As with a network partition, only the client-side query timeout can end the wait.
    await sleep(1000);
    const frozenAt = performance.now();
    postgres.freeze();
    const hungProbes: { ready: Awaited<ReturnType<typeof get>>; health: Awaited<ReturnType<typeof get>> }[] = [];
    while (performance.now() - frozenAt < 3000) {
      const [ready, health] = await Promise.all([get(url, '/ready'), get(url, '/health')]);
      hungProbes.push({ ready, health });
      await sleep(200);
    }
    assert.equal(server.child.exitCode, null, 'the server process is still running');
    postgres.thaw();
    const thawed = performance.now();
    let hungRecoveredAt: number | undefined;
    while (performance.now() - thawed < RECOVER_WITHIN_MS && hungRecoveredAt === undefined) {
      await sleep(50);
      const first = outcomes.find((o) => o.operation === 'AdminCreateUser' && o.startedAt >= thawed && o.status === 200);
      if (first) hungRecoveredAt = first.startedAt + first.ms;
    }
    if (process.env.GATEHOUSE_TEST_OUTAGE_TRACE === '1') {
      for (const o of outcomes.filter((o) => o.startedAt + o.ms >= frozenAt - 200)) {
        console.error(`[outage trace] ${Math.round(o.startedAt - frozenAt)} +${Math.round(o.ms)} ${o.operation} ${o.status} ${o.type ?? ''} (thawed at ${Math.round(thawed - frozenAt)})`);
      }
    }
    assert.ok(hungRecoveredAt !== undefined, `AdminCreateUser succeeds again within ${RECOVER_WITHIN_MS} ms of the database waking`);
    await sleep(1000);
    const hung = outcomes.filter((o) => o.startedAt + o.ms >= frozenAt && o.startedAt <= thawed);
    const hungFailures = hung.filter((o) => o.status !== 200);
    assert.ok(hungFailures.length > 0, 'requests failed while the database hung');
    for (const o of hung) {
      assert.ok(typeof o.status === 'number' && o.ms < HUNG_ANSWER_WITHIN_MS, `${o.operation} answered in ${Math.round(o.ms)} ms (${o.status}) while the database hung`);
    }
    for (const { ready, health } of hungProbes) {
      assert.equal(health.status, 200, '/health stays 200 while the database hangs');
      assert.equal((health.body as { ready?: boolean }).ready, false, '/health says it could not serve now');
      assert.ok(health.ms < 1000, `/health answered in ${Math.round(health.ms)} ms`);
      assert.equal(ready.status, 503, '/ready is 503 while the database hangs');
      assert.ok(['database not answering', 'database unreachable'].includes((ready.body as { status?: string }).status ?? ''), `/ready says why: ${JSON.stringify(ready.body)}`);
      // It gives up waiting after 2 s, well inside a load balancer's health-check timeout.
      assert.ok(ready.ms < READY_WITHIN_MS, `/ready answered in ${Math.round(ready.ms)} ms`);
    }
    figures.push({
      mode: 'hung (SIGSTOP)',
      outage_ms: Math.round(thawed - frozenAt),
      requests_during_outage: hung.length,
      failures_during_outage: hungFailures.length,
      max_ms_during_outage: Math.round(Math.max(...hung.map((o) => o.ms))),
      max_ready_ms: Math.round(Math.max(...hungProbes.map((p) => p.ready.ms))),
      recovered_after_ms: Math.round(hungRecoveredAt - thawed),
    });
    loading = false;
    await Promise.all(loops);

    // --- a statement stuck behind a lock is cut off by statementTimeoutMs ----------------------------
    const locker = new pg.Client({ connectionString: database });
    await locker.connect();
    let blocked: Awaited<ReturnType<typeof call>>;
    try {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE user_pools IN ACCESS EXCLUSIVE MODE');
      blocked = await call(url, 'DescribeUserPool', { UserPoolId: poolId });
      await locker.query('ROLLBACK');
    } finally {
      await locker.end();
    }
    assert.equal(blocked.status, 500, JSON.stringify(blocked.body));
    assert.equal(blocked.type, 'InternalErrorException');
    assert.ok(blocked.ms >= STATEMENT_TIMEOUT_MS * 0.9 && blocked.ms < ANSWER_WITHIN_MS, `cut off after ${Math.round(blocked.ms)} ms`);
    assert.equal((await call(url, 'DescribeUserPool', { UserPoolId: poolId })).status, 200, 'and the next one is fine');
    assert.equal((await call(second.url, 'GetUser', { AccessToken: accessToken })).status, 200, 'the second node checks the token once the database is back');
    assert.equal(second.child.exitCode, null, 'the second node never exited either');

    // --- the whole run ----------------------------------------------------------------------------------
    assert.equal(server.child.exitCode, null, 'the server process never exited');
    assert.doesNotMatch(server.output(), /exited|uncaught|unhandled/i);
    const slow = outcomes.filter((o) => !hung.includes(o) && (typeof o.status !== 'number' || o.ms >= ANSWER_WITHIN_MS));
    assert.deepEqual(slow.map((o) => `${o.operation} ${o.status} ${Math.round(o.ms)} ms`), [], `every request answered within ${ANSWER_WITHIN_MS} ms`);
    const failures = outcomes.filter((o) => o.status !== 200);
    for (const o of failures) {
      assert.equal(o.status, 500, `${o.operation}: ${o.status} ${o.type}`);
      assert.equal(o.type, 'InternalErrorException');
      assert.equal(o.problem, undefined, 'a well-formed awsJson1_1 error');
    }

    // Every acknowledged write is there (read through the API, after both restarts).
    const present = new Set<string>();
    let token: string | undefined;
    do {
      const page = await call(url, 'ListUsers', { UserPoolId: poolId, Limit: 60, ...(token && { PaginationToken: token }) });
      assert.equal(page.status, 200, JSON.stringify(page.body));
      for (const user of page.body.Users) present.add(user.Username);
      token = page.body.PaginationToken;
    } while (token);
    const lost = acknowledged.filter((username) => !present.has(username));
    const attempted = outcomes.filter((o) => o.operation === 'AdminCreateUser').length;
    const acknowledgedSet = new Set(acknowledged);
    const unacknowledgedButWritten = [...present].filter((name) => name.startsWith('load') && !acknowledgedSet.has(name)).length;
    assert.deepEqual(lost, [], 'acknowledged writes lost');

    const summary = {
      requests: outcomes.length,
      failures: failures.length,
      max_ms: Math.round(Math.max(...outcomes.map((o) => o.ms))),
      writes_attempted: attempted,
      writes_acknowledged: acknowledged.length,
      acknowledged_writes_lost: lost.length,
      failed_but_written: unacknowledgedButWritten,
      statement_timeout_cut_off_ms: Math.round(blocked.ms),
      test_s: Number(((performance.now() - testStarted) / 1000).toFixed(1)),
    };
    console.log(`[outage] settings: connectionTimeoutMs ${CONNECTION_TIMEOUT_MS}, statementTimeoutMs ${STATEMENT_TIMEOUT_MS}, ${LOAD_LOOPS} loops of AdminCreateUser + GetUser`);
    for (const figure of figures) console.log(`[outage] ${JSON.stringify(figure)}`);
    console.log(`[outage] ${JSON.stringify(summary)}`);
  } catch (error) {
    if (server) console.error(`[outage] the server's output:\n${server.output().slice(-5000)}`);
    throw error;
  } finally {
    postgres?.thaw(); // a frozen database would hold the servers' graceful close forever
    for (const node of [server, second]) {
      if (!node) continue;
      node.child.kill('SIGTERM');
      await node.exited;
    }
    await postgres?.destroy();
    await rm(dir, { recursive: true, force: true });
  }
});
