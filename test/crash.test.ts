// kill -9 under load: `gatehouse serve` (the primary and its workers) is killed while SignUp,
// AdminCreateUser and AdminUpdateUserAttributes are in flight. After a restart on the same database
// every acknowledged write is there, and no user is half-written. Then races across the workers:
// one username, one verified alias, many concurrent writers.
import assert from 'node:assert/strict';
import { Agent } from 'node:http';
import { describe, test } from 'node:test';
import { backends, databaseFor, serverKeyEnv, type Backend } from './support/gatehouse.js';
import { childPids, killNow, waitUntilGone } from './support/pids.js';
import { serve, type ServerProcess } from './support/process.js';
import { protocolRequest, sendRaw, type RawAnswer } from './support/raw-http.js';

const PASSWORD = 'Crash-Passw0rd!';
/** Development mode: no keys, loopback only. */
const NO_KEYS = { GATEHOUSE_ACCESS_KEY_ID: '', GATEHOUSE_SECRET_ACCESS_KEY: '' };

interface Api {
  call(operation: string, body: unknown): Promise<RawAnswer>;
  /** Like call, but fails the test unless the answer is a 200. */
  ok(operation: string, body: unknown): Promise<any>;
  close(): void;
}

function api(url: string): Api {
  const agent = new Agent({ keepAlive: true, maxSockets: 32 });
  const call = (operation: string, body: unknown) => sendRaw(url, protocolRequest(url, operation, body), { agent, timeoutMs: 20_000 });
  return {
    call,
    async ok(operation, body) {
      const answer = await call(operation, body);
      assert.equal(answer.status, 200, `${operation}: ${answer.text}`);
      return answer.json;
    },
    close: () => agent.destroy(),
  };
}

const attributesOf = (list: { Name: string; Value?: string }[] = []) => Object.fromEntries(list.map((a) => [a.Name, a.Value]));

async function listAllUsers(gh: Api, poolId: string, filter?: string): Promise<any[]> {
  const users: any[] = [];
  let PaginationToken: string | undefined;
  do {
    const page = await gh.ok('ListUsers', { UserPoolId: poolId, Limit: 60, ...(PaginationToken ? { PaginationToken } : {}), ...(filter ? { Filter: filter } : {}) });
    users.push(...page.Users);
    PaginationToken = page.PaginationToken;
  } while (PaginationToken);
  return users;
}

/** What the writers sent and what the server acknowledged. */
interface Ledger {
  sent: number;
  acknowledged: number;
  /** SignUp: username → sub and the given_name sent with it. */
  signedUp: Map<string, { sub: string; givenName: string }>;
  /** AdminCreateUser: username → sub and given_name. */
  created: Map<string, { sub: string; givenName: string }>;
  /** AdminUpdateUserAttributes of nickname, per user: the last value acknowledged and the last one sent. */
  updates: Map<string, { acknowledged: number; sent: number }>;
  /** Every username a create was sent for, acknowledged or not. */
  attempted: Set<string>;
}

async function startServer(database: string, backend: Backend, workers: number): Promise<ServerProcess> {
  return serve(['--db', database, '--workers', String(workers)], { ...serverKeyEnv(backend), ...NO_KEYS });
}

async function crashUnderLoad(backend: Backend, workers: number, t: { diagnostic(message: string): void }): Promise<void> {
  const { database, cleanup } = await databaseFor(backend);
  const t0 = performance.now();
  const phases: string[] = [];
  const phase = (name: string) => phases.push(`${name} ${Math.round(performance.now() - t0)} ms`);
  let server = await startServer(database, backend, workers);
  phase('started');
  let gh = api(server.url);
  try {
    const poolId = (await gh.ok('CreateUserPool', { PoolName: 'crash' })).UserPool.Id;
    const clientId = (await gh.ok('CreateUserPoolClient', { UserPoolId: poolId, ClientName: 'crash' })).UserPoolClient.ClientId;
    const ledger: Ledger = { sent: 0, acknowledged: 0, signedUp: new Map(), created: new Map(), updates: new Map(), attempted: new Set() };
    let stopped = false;
    /** One request; false when the server is gone (the writer stops there). */
    const attempt = async (operation: string, body: unknown): Promise<RawAnswer | undefined> => {
      if (stopped) return undefined;
      ledger.sent++;
      try {
        const answer = await gh.call(operation, body);
        assert.equal(answer.status, 200, `${operation} under load: ${answer.text}`);
        ledger.acknowledged++;
        return answer;
      } catch (error) {
        if (error instanceof assert.AssertionError) throw error;
        stopped = true; // connection refused or reset: the kill
        return undefined;
      }
    };
    const signUpWriter = async (w: number) => {
      for (let i = 0; !stopped; i++) {
        const username = `s${w}-${i}`;
        const givenName = `given ${username}`;
        ledger.attempted.add(username);
        const answer = await attempt('SignUp', { ClientId: clientId, Username: username, Password: PASSWORD, UserAttributes: [{ Name: 'given_name', Value: givenName }] });
        if (!answer) return;
        ledger.signedUp.set(username, { sub: answer.json.UserSub, givenName });
      }
    };
    const adminWriter = async (w: number) => {
      for (let i = 0; !stopped; i++) {
        const username = `a${w}-${i}`;
        const givenName = `given ${username}`;
        ledger.attempted.add(username);
        const created = await attempt('AdminCreateUser', { UserPoolId: poolId, Username: username, MessageAction: 'SUPPRESS', UserAttributes: [{ Name: 'given_name', Value: givenName }] });
        if (!created) return;
        ledger.created.set(username, { sub: attributesOf(created.json.User.Attributes).sub!, givenName });
        const progress = { acknowledged: 0, sent: 0 };
        ledger.updates.set(username, progress);
        for (let n = 1; n <= 3; n++) {
          progress.sent = n;
          const updated = await attempt('AdminUpdateUserAttributes', { UserPoolId: poolId, Username: username, UserAttributes: [{ Name: 'nickname', Value: String(n) }] });
          if (!updated) return;
          progress.acknowledged = n;
        }
      }
    };
    const writers = [...[0, 1, 2, 3].map(signUpWriter), ...[0, 1, 2, 3, 4, 5].map(adminWriter)];

    // Kill everything at once, mid-load: the primary and its workers, as a machine crash would.
    const started = Date.now();
    while (ledger.acknowledged < 120 && Date.now() - started < 3000) await new Promise((resolve) => setTimeout(resolve, 10));
    const pids = [server.child.pid!, ...(await childPids(server.child.pid!))];
    assert.equal(pids.length, workers > 1 ? workers + 1 : 1, `the primary and ${workers} workers: ${pids.join(', ')}`);
    killNow(pids);
    phase('killed');
    const inFlightAtKill = ledger.sent - ledger.acknowledged;
    await Promise.all(writers);
    await server.exited;
    await waitUntilGone(pids);
    gh.close();

    server = await startServer(database, backend, workers);
    gh = api(server.url);
    phase('restarted');
    const users = await listAllUsers(gh, poolId);
    const byName = new Map(users.map((user) => [user.Username as string, user]));
    assert.equal(byName.size, users.length, 'no user is listed twice');

    // Every listed user is whole: fetchable, with a sub, a known status, and the same attributes both ways.
    const details = new Map<string, any>();
    await Promise.all(
      users.map(async (listed) => {
        assert.ok(ledger.attempted.has(listed.Username), `${listed.Username} was sent by a writer`);
        const user = await gh.ok('AdminGetUser', { UserPoolId: poolId, Username: listed.Username });
        const attributes = attributesOf(user.UserAttributes);
        assert.match(attributes.sub ?? '', /^[0-9a-f-]{36}$/, `${listed.Username} has a sub`);
        assert.deepEqual(attributes, attributesOf(listed.Attributes), `${listed.Username}: ListUsers and AdminGetUser agree`);
        assert.equal(user.Enabled, true);
        assert.equal(user.UserStatus, listed.Username.startsWith('s') ? 'UNCONFIRMED' : 'FORCE_CHANGE_PASSWORD', `${listed.Username} status`);
        assert.equal(attributes.given_name, `given ${listed.Username}`, `${listed.Username} kept the attribute it was created with`);
        details.set(listed.Username, attributes);
      }),
    );

    // Every acknowledged write is there.
    const lost: string[] = [];
    let found = 0;
    for (const [username, { sub }] of [...ledger.signedUp, ...ledger.created]) {
      const attributes = details.get(username);
      if (!attributes) lost.push(`${username} (acknowledged create)`);
      else if (attributes.sub !== sub) lost.push(`${username}: sub ${attributes.sub}, acknowledged ${sub}`);
      else found++;
    }
    let updatesChecked = 0;
    for (const [username, { acknowledged, sent }] of ledger.updates) {
      const nickname = details.get(username)?.nickname;
      const value = nickname === undefined ? 0 : Number(nickname);
      // The acknowledged value, or a later one that was in flight when the server died.
      if (value < acknowledged || value > sent) lost.push(`${username}: nickname ${nickname}, acknowledged ${acknowledged}, sent up to ${sent}`);
      updatesChecked++;
    }
    const acknowledgedUsers = ledger.signedUp.size + ledger.created.size;
    t.diagnostic(
      `${backend}, ${workers} worker(s): ${ledger.sent} requests sent, ${ledger.acknowledged} acknowledged, ${inFlightAtKill} in flight at the kill; ` +
        `${acknowledgedUsers} acknowledged users, ${found} found after restart, ${users.length - found} unacknowledged but committed; ` +
        `${updatesChecked} users' updates checked; lost: ${lost.length}`,
    );
    assert.deepEqual(lost, [], 'no acknowledged write is lost');
    assert.ok(acknowledgedUsers >= 20, `enough load before the kill (${acknowledgedUsers} users)`);

    phase('verified');
    await races(gh, backend, clientId, poolId);
    phase('raced');
    t.diagnostic(`timeline: ${phases.join(', ')}`);
  } finally {
    gh.close();
    const pids = server.child.pid ? [server.child.pid, ...(await childPids(server.child.pid))] : [];
    server.child.kill('SIGTERM');
    await Promise.race([server.exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
    killNow(pids);
    await cleanup();
  }
}

/** Concurrent writers on the same name or alias, spread over the workers: exactly one wins. */
async function races(gh: Api, backend: Backend, clientId: string, poolId: string): Promise<void> {
  const N = 16;
  const outcome = (answers: RawAnswer[]) => answers.map((a) => (a.status === 200 ? 'success' : String(a.json?.__type ?? a.status)));
  const count = (outcomes: string[], what: string) => outcomes.filter((o) => o === what).length;

  const creates = outcome(await Promise.all(Array.from({ length: N }, () => gh.call('AdminCreateUser', { UserPoolId: poolId, Username: 'racer', MessageAction: 'SUPPRESS' }))));
  assert.equal(count(creates, 'success'), 1, `${backend}: one AdminCreateUser wins: ${creates.join(', ')}`);
  assert.equal(count(creates, 'UsernameExistsException'), N - 1, creates.join(', '));
  assert.equal((await listAllUsers(gh, poolId, 'username = "racer"')).length, 1);

  const signUps = outcome(await Promise.all(Array.from({ length: N }, () => gh.call('SignUp', { ClientId: clientId, Username: 'sign-up-racer', Password: PASSWORD }))));
  assert.equal(count(signUps, 'success'), 1, `${backend}: one SignUp wins: ${signUps.join(', ')}`);
  assert.equal(count(signUps, 'UsernameExistsException'), N - 1, signUps.join(', '));

  // A verified email alias is unique in a pool with AliasAttributes email.
  const aliasPool = (await gh.ok('CreateUserPool', { PoolName: 'alias-race', AliasAttributes: ['email'] })).UserPool.Id;
  const names = Array.from({ length: N }, (_, i) => `holder-${i}`);
  await Promise.all(names.map((Username) => gh.ok('AdminCreateUser', { UserPoolId: aliasPool, Username, MessageAction: 'SUPPRESS' })));
  const shared = [
    { Name: 'email', Value: 'shared@example.com' },
    { Name: 'email_verified', Value: 'true' },
  ];
  const updates = outcome(await Promise.all(names.map((Username) => gh.call('AdminUpdateUserAttributes', { UserPoolId: aliasPool, Username, UserAttributes: shared }))));
  assert.equal(count(updates, 'success'), 1, `${backend}: one user gets the verified alias: ${updates.join(', ')}`);
  assert.equal(count(updates, 'AliasExistsException'), N - 1, updates.join(', '));
  const winner = names[updates.indexOf('success')]!;
  const holders: string[] = [];
  for (const Username of names) {
    const attributes = attributesOf((await gh.ok('AdminGetUser', { UserPoolId: aliasPool, Username })).UserAttributes);
    if (attributes.email === 'shared@example.com') holders.push(`${Username}${attributes.email_verified === 'true' ? ' (verified)' : ''}`);
  }
  assert.deepEqual(holders, [`${winner} (verified)`], 'only the winner has the email at all');
  // And signing in by the alias finds that one user.
  assert.equal((await gh.ok('AdminGetUser', { UserPoolId: aliasPool, Username: 'shared@example.com' })).Username, winner);
}

describe('kill -9 under load, then races', () => {
  const runs: [Backend, number][] = backends().flatMap((backend): [Backend, number][] => (backend === 'sqlite' ? [['sqlite', 2], ['sqlite', 1]] : [[backend, 2]]));
  for (const [backend, workers] of runs) {
    test(`no acknowledged write is lost and none is half-written (${backend}, --workers ${workers})`, { timeout: 60_000 }, async (t) => {
      await crashUnderLoad(backend, workers, t);
    });
  }
});
