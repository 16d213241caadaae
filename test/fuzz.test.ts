// Hostile input for every operation in the service model, over raw HTTP: whatever arrives, the answer
// is a well-formed Cognito error (4xx, JSON __type and message, a matching x-amzn-ErrorType) or a 200
// JSON success: never a 5xx, never a hang, never a crash; and the server works normally afterwards.
//
// Model-driven: the request bodies are built from the constraint tables (member names, types, enums,
// patterns), then broken on purpose (wrong types, huge, deeply nested, lone surrogates, invalid UTF-8,
// truncated JSON, odd headers). String members also take real values (a pool id, a client id, an
// access token, an SRP session, a device key) so the requests reach the code behind validation.
//
// GATEHOUSE_SOAK=1 (GATEHOUSE_SOAK_REQUESTS=<n>, default 20,000) or GATEHOUSE_SOAK=<n> runs a longer pass
// (SQLite only) and prints what was sent and how it was answered.
// GATEHOUSE_FUZZ_SEED=<n> replays a run.
import assert from 'node:assert/strict';
import { Agent } from 'node:http';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { backends, startTestGatehouse, type Backend, type TestGatehouse } from './support/gatehouse.js';
import { ALL_OPERATIONS, FixtureKeeper, isImplemented, json, makeFixtures, operationCases, protocolCases, semanticValues, toRaw, type Fixtures, type FuzzCase } from './support/fuzz-model.js';
import { AWS_JSON, errorTypeHeader, sendRaw, TARGET_PREFIX, type RawAnswer } from './support/raw-http.js';
import { operations as implemented } from '../src/operations/index.js';

// --- budgets -----------------------------------------------------------------------------------------

/** GATEHOUSE_SOAK=1 soaks with GATEHOUSE_SOAK_REQUESTS (default 20,000) requests; GATEHOUSE_SOAK=<n> with n. */
const SOAK_SETTING = Number(process.env.GATEHOUSE_SOAK ?? 0) || 0;
const SOAK = SOAK_SETTING === 1 ? Number(process.env.GATEHOUSE_SOAK_REQUESTS ?? 20_000) || 20_000 : SOAK_SETTING;
const SEED = Number(process.env.GATEHOUSE_FUZZ_SEED ?? 0) || (Date.now() ^ (Math.random() * 0x7fffffff)) | 0;
const REQUEST_TIMEOUT_MS = 15_000;
/** An answer slower than this is reported too: a pattern that backtracks, a loop that should not be there. */
const SLOW_MS = 3_000;

interface Budget {
  perImplemented: number;
  perUnimplemented: number;
  protocol: number;
}
function budgetFor(backend: Backend): Budget {
  const implementedCount = ALL_OPERATIONS.filter(isImplemented).length;
  if (SOAK > 0) {
    const protocol = Math.ceil(SOAK * 0.05);
    const perUnimplemented = 3;
    const rest = SOAK - protocol - perUnimplemented * (ALL_OPERATIONS.length - implementedCount);
    return { perImplemented: Math.max(10, Math.ceil(rest / implementedCount)), perUnimplemented, protocol };
  }
  // ~2,000 requests on SQLite, ~450 on PostgreSQL.
  return backend === 'sqlite' ? { perImplemented: 24, perUnimplemented: 3, protocol: 150 } : { perImplemented: 5, perUnimplemented: 1, protocol: 40 };
}

// --- judging answers -------------------------------------------------------------------------------------

interface Stats {
  sent: number;
  byStatus: Map<number, number>;
  byType: Map<string, number>;
  /** Per operation, how many answers were successes: how deep the fuzzing got. */
  successesByOperation: Map<string, number>;
  byKind: Map<string, number>;
  slowest: { ms: number; what: string };
}
const newStats = (): Stats => ({ sent: 0, byStatus: new Map(), byType: new Map(), successesByOperation: new Map(), byKind: new Map(), slowest: { ms: 0, what: '' } });
const bump = <K>(map: Map<K, number>, key: K) => map.set(key, (map.get(key) ?? 0) + 1);

/** Why an answer is not acceptable, or undefined when it is. */
function problemWith(answer: RawAnswer): string | undefined {
  const contentType = String(answer.headers['content-type'] ?? '');
  if (answer.status === 200) {
    if (!contentType.startsWith('application/x-amz-json-1.1')) return `200 with content-type ${contentType}`;
    if (typeof answer.json !== 'object' || answer.json === null || Array.isArray(answer.json)) return '200 without a JSON object body';
    return answer.ms > SLOW_MS ? `200 after ${Math.round(answer.ms)} ms` : undefined;
  }
  if (answer.status < 400 || answer.status >= 500) return `status ${answer.status}`;
  if (typeof answer.json !== 'object' || answer.json === null) return `${answer.status} without a JSON body`;
  if (typeof answer.json.__type !== 'string' || answer.json.__type === '') return `${answer.status} without __type`;
  if (typeof answer.json.message !== 'string') return `${answer.status} without message`;
  if (errorTypeHeader(answer) !== answer.json.__type) return `x-amzn-ErrorType ${String(answer.headers['x-amzn-errortype'])} but __type ${answer.json.__type}`;
  if (answer.json.__type === 'InternalErrorException') return `InternalErrorException with status ${answer.status}`;
  return answer.ms > SLOW_MS ? `${answer.json.__type} after ${Math.round(answer.ms)} ms` : undefined;
}

const describeCase = (fuzz: FuzzCase) => {
  const body = typeof fuzz.body === 'string' ? fuzz.body : `bytes ${Buffer.from(fuzz.body).toString('hex')}`;
  const shown = body.length > 600 ? `${body.slice(0, 300)}…(${body.length} chars)…${body.slice(-100)}` : body;
  return `[${fuzz.kind}] target=${JSON.stringify(fuzz.target)} content-type=${JSON.stringify(fuzz.contentType)}${fuzz.extraHeaders ? ` headers=${JSON.stringify(fuzz.extraHeaders).slice(0, 200)}` : ''} body=${JSON.stringify(shown)}`;
};

interface Failure {
  where: string;
  counterexample: string;
  problem: string;
}

// --- the runs ----------------------------------------------------------------------------------------------

async function fuzzServer(backend: Backend, t: { diagnostic(message: string): void }): Promise<void> {
  const budget = budgetFor(backend);
  const gh: TestGatehouse = await startTestGatehouse(backend, { argon2: { memoryKiB: 64, iterations: 1, parallelism: 1 } });
  const agent = new Agent({ keepAlive: true, maxSockets: 4 });
  const stats = newStats();
  const failures: Failure[] = [];
  const started = performance.now();
  try {
    const region = 'us-east-1';
    // The fixtures still work when the user can sign in and use the token, and the client exists.
    const call = (operation: string, body: unknown) =>
      sendRaw(gh.url, toRaw(gh.url, { kind: '', target: `${TARGET_PREFIX}${operation}`, contentType: AWS_JSON, body: json(body) }));
    const stillWorks = async (fx: Fixtures) => {
      const [client, signIn, user] = await Promise.all([
        call('DescribeUserPoolClient', { UserPoolId: fx.poolId, ClientId: fx.clientId }),
        call('InitiateAuth', { ClientId: fx.clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: fx.username, PASSWORD: fx.password } }),
        call('GetUser', { AccessToken: fx.accessToken }),
      ]);
      return client.status === 200 && signIn.status === 200 && !!signIn.json.AuthenticationResult && user.status === 200;
    };
    const keeper = new FixtureKeeper(gh.cognito, region, stillWorks);
    let fx = await keeper.after();

    const check = async (fuzz: FuzzCase) => {
      let answer: RawAnswer;
      try {
        answer = await sendRaw(gh.url, toRaw(gh.url, fuzz), { timeoutMs: REQUEST_TIMEOUT_MS, agent });
      } catch (error) {
        stats.sent++;
        throw new Error(`no answer: ${(error as Error).message}`);
      }
      stats.sent++;
      bump(stats.byStatus, answer.status);
      const type = answer.status === 200 ? 'success' : String(answer.json?.__type ?? `status ${answer.status}`);
      bump(stats.byType, type);
      bump(stats.byKind, `${fuzz.kind}: ${type}`);
      if (answer.status === 200) bump(stats.successesByOperation, String(fuzz.target).slice(TARGET_PREFIX.length));
      if (answer.ms > stats.slowest.ms) stats.slowest = { ms: answer.ms, what: `${fuzz.target} [${fuzz.kind}]` };
      const problem = problemWith(answer);
      if (problem) throw new Error(`${problem}: ${answer.text.slice(0, 300)}`);
    };

    // A failure stops fast-check's run (after shrinking it); the rest of the budget goes on with a new
    // seed, so one bug does not hide the next. The same problem is reported once per operation.
    const run = async (where: string, arbitrary: fc.Arbitrary<FuzzCase>, numRuns: number) => {
      const seen = new Set<string>();
      let remaining = numRuns;
      for (let round = 0; remaining > 0 && round < 5; round++) {
        const details = await fc.check(fc.asyncProperty(arbitrary, check), { numRuns: remaining, seed: SEED + round, maxSkipsPerRun: 1000 });
        if (!details.failed) return;
        remaining -= details.numRuns;
        const message = (details.errorInstance as Error | undefined)?.message ?? String(details.errorInstance);
        const signature = message.replace(/\d+ ms/g, '').slice(0, 200);
        if (seen.has(signature)) continue;
        seen.add(signature);
        const [counterexample] = details.counterexample ?? [];
        failures.push({
          where,
          counterexample: counterexample ? describeCase(counterexample) : '(none)',
          problem: `${message} (seed ${details.seed}, path ${details.counterexamplePath}, ${details.numShrinks} shrinks)`,
        });
      }
    };

    let previous: string | undefined;
    for (const operation of ALL_OPERATIONS) {
      // The previous operation may have deleted, disabled, signed out or reconfigured the fixtures.
      if (isImplemented(operation)) fx = await keeper.after(previous);
      const semantic = semanticValues(fx);
      await run(operation, operationCases(operation, fx, semantic), isImplemented(operation) ? budget.perImplemented : budget.perUnimplemented);
      previous = operation;
    }
    fx = await keeper.after(previous);
    await run('protocol', protocolCases(fx), budget.protocol);

    // Still serving, and still right.
    const pools = await sendRaw(gh.url, toRaw(gh.url, { kind: '', target: `${TARGET_PREFIX}ListUserPools`, contentType: AWS_JSON, body: '{"MaxResults":60}' }));
    assert.equal(pools.status, 200, pools.text);
    assert.ok(Array.isArray(pools.json.UserPools));
    const after = await makeFixtures(gh.cognito, region);
    assert.ok(after.accessToken, 'a new pool, client, users and a sign-in work after the fuzzing');
    const health = await fetch(`${gh.url}/health`);
    assert.equal(health.status, 200);

    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    const types = [...stats.byType.entries()].sort((a, b) => b[1] - a[1]).map(([type, count]) => `${type} ${count}`).join(', ');
    const statuses = [...stats.byStatus.entries()].map(([status, count]) => `${status}: ${count}`).join(', ');
    const summary = `${backend}: ${stats.sent} requests in ${seconds} s (seed ${SEED}); statuses ${statuses}; slowest ${Math.round(stats.slowest.ms)} ms (${stats.slowest.what})`;
    t.diagnostic(summary);
    const reached = [...stats.successesByOperation.keys()].sort();
    t.diagnostic(`answers by type: ${types}`);
    t.diagnostic(`operations with at least one success: ${reached.length} of ${ALL_OPERATIONS.filter(isImplemented).length} implemented`);
    if (SOAK > 0 || process.env.GATEHOUSE_FUZZ_VERBOSE === '1') {
      const kinds = [...stats.byKind.entries()].sort().map(([kind, count]) => `  ${kind}: ${count}`).join('\n');
      const successes = reached.map((name) => `${name} ${stats.successesByOperation.get(name)}`).join(', ');
      const never = ALL_OPERATIONS.filter((name) => isImplemented(name) && !stats.successesByOperation.has(name)).join(', ');
      console.log(`fuzz ${summary}\nanswers by type: ${types}\nby kind:\n${kinds}\nsuccesses: ${successes}\nnever succeeded: ${never}\nfailures: ${failures.length}`);
    }
    assert.deepEqual(
      failures.map((f) => `${f.where}: ${f.problem}\n    minimal input: ${f.counterexample}`),
      [],
      `${failures.length} operation(s) answered hostile input badly (replay with GATEHOUSE_FUZZ_SEED=${SEED})`,
    );
  } finally {
    agent.destroy();
    await gh.stop();
  }
}

describe('fuzzing every operation over raw HTTP', () => {
  test('the model lists every operation the server implements', () => {
    assert.ok(ALL_OPERATIONS.length >= 100, `${ALL_OPERATIONS.length} operations in the model`);
    for (const name of Object.keys(implemented)) assert.ok(ALL_OPERATIONS.includes(name), `${name} is in the model`);
  });

  // Inputs the fuzzing found that once broke the server, kept as plain regressions.
  test('known hostile inputs get Cognito errors, not 500s', async () => {
    const gh = await startTestGatehouse('sqlite', { argon2: { memoryKiB: 64, iterations: 1, parallelism: 1 } });
    try {
      const fx = await makeFixtures(gh.cognito, 'us-east-1');
      const cases: [string, FuzzCase][] = [
        // SignUp's Password is optional in the model (passwordless pools); without one, the policy check read undefined.length.
        ['SignUp without Password', { kind: 'regression', target: `${TARGET_PREFIX}SignUp`, contentType: AWS_JSON, body: json({ ClientId: fx.clientId, Username: 'no-password' }) }],
        // A null optional member reached the handler as null (ListUsers parsed a null Filter).
        ['ListUsers with Filter null', { kind: 'regression', target: `${TARGET_PREFIX}ListUsers`, contentType: AWS_JSON, body: json({ UserPoolId: fx.poolId, Filter: null }) }],
        // Targets naming Object.prototype members found a "handler" on the operations object.
        ...['toString', '__proto__', 'constructor', 'hasOwnProperty', 'valueOf'].map(
          (name): [string, FuzzCase] => [`X-Amz-Target ${name}`, { kind: 'regression', target: `${TARGET_PREFIX}${name}`, contentType: AWS_JSON, body: '{}' }],
        ),
      ];
      const broken: string[] = [];
      for (const [label, fuzz] of cases) {
        const answer = await sendRaw(gh.url, toRaw(gh.url, fuzz));
        const problem = problemWith(answer);
        if (problem) broken.push(`${label}: ${problem}`);
      }
      assert.deepEqual(broken, []);
    } finally {
      await gh.stop();
    }
  });

  for (const backend of SOAK > 0 ? (['sqlite'] as Backend[]) : backends()) {
    test(`hostile input to all operations never gets a 5xx, a malformed error or a hang (${backend})`, { timeout: SOAK > 0 ? 3_600_000 : 120_000 }, async (t) => {
      await fuzzServer(backend, t);
    });
  }
});
