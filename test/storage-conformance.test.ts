// The storage contract, run case for case against SQLite and PostgreSQL.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { defaultConfig } from '../src/config.js';
import { openStorage } from '../src/storage/open.js';
import { DuplicateKeyError, type ClientRecord, type ImportJobRecord, type PoolRecord, type SigningKeyRecord, type Storage, type UserRecord } from '../src/storage/types.js';
import { backends, databaseFor } from './support/gatehouse.js';

const pool = (id: string, name = `pool ${id}`): PoolRecord => ({
  id,
  name,
  config: { MfaConfiguration: 'OFF', nested: { list: [1, 2], flag: true } },
  tags: { team: 'x' },
  userCount: 0,
  createdAt: 1_700_000_000_123,
  updatedAt: 1_700_000_000_456,
  version: 0,
});

const key = (poolId: string, kid: string, purpose: 'id' | 'access'): SigningKeyRecord => ({
  kid,
  poolId,
  purpose,
  privateKeyPem: `-----BEGIN PRIVATE KEY-----\n${kid}\n-----END PRIVATE KEY-----\n`,
  publicJwk: { kty: 'RSA', kid, n: 'abc', e: 'AQAB' },
  createdAt: 1_700_000_000_000,
});

const client = (poolId: string, clientId: string, name = clientId): ClientRecord => ({
  clientId,
  poolId,
  name,
  secret: clientId.endsWith('s') ? 'secret-value' : null,
  config: { ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH'] },
  createdAt: 1_700_000_001_000,
  updatedAt: 1_700_000_002_000,
  version: 0,
});

const user = (poolId: string, sub: string, username: string): UserRecord => ({
  poolId, sub, username, usernameKey: username, status: 'CONFIRMED', enabled: true,
  passwordHash: null, passwordExpiresAt: null, srpVerifier: null, attributes: {}, settings: {},
  createdAt: 1, updatedAt: 1, version: 0,
});

for (const backend of backends()) {
  describe(`storage contract (${backend})`, () => {
    let storage: Storage;
    let cleanup: () => Promise<void>;
    let database: string;
    before(async () => {
      ({ database, cleanup } = await databaseFor(backend));
      storage = await openStorage({ ...defaultConfig(), database });
    });
    after(async () => {
      await storage.close();
      await cleanup();
    });

    test('reports its kind and answers ping', async () => {
      assert.equal(storage.kind, backend);
      assert.equal(await storage.ping(), true);
    });

    test('a pool round-trips exactly, with its signing keys', async () => {
      await storage.pools.insert(pool('p1'), [key('p1', 'k1', 'id'), key('p1', 'k2', 'access')]);
      assert.deepEqual(await storage.pools.get('p1'), pool('p1'));
      const keys = await storage.signingKeys.listForPool('p1');
      assert.deepEqual(keys.map((k) => [k.kid, k.purpose]).sort(), [['k1', 'id'], ['k2', 'access']]);
      assert.deepEqual(keys.find((k) => k.kid === 'k1'), key('p1', 'k1', 'id'));
      assert.equal(await storage.pools.get('missing'), undefined);
    });

    test('a duplicate pool id is DuplicateKeyError and leaves nothing half-written', async () => {
      await assert.rejects(storage.pools.insert(pool('p1', 'other'), [key('p1', 'k9', 'id')]), DuplicateKeyError);
      assert.equal((await storage.pools.get('p1'))!.name, 'pool p1');
      assert.equal((await storage.signingKeys.listForPool('p1')).some((k) => k.kid === 'k9'), false);
    });

    test('an update lands only on the version it was read at; delete reports whether the row existed', async () => {
      const read = (await storage.pools.get('p1'))!;
      assert.equal(await storage.pools.update({ ...read, name: 'renamed', updatedAt: 1_800_000_000_000 }), true);
      assert.equal(await storage.pools.update({ ...read, name: 'from a stale copy' }), false, 'written since it was read');
      assert.deepEqual(await storage.pools.get('p1'), { ...pool('p1'), name: 'renamed', updatedAt: 1_800_000_000_000, version: 1 });
      assert.equal(await storage.pools.update(pool('nope')), false);
      assert.equal(await storage.pools.delete('nope'), false);
    });

    test('pools list in id order with keyset pages', async () => {
      for (const id of ['p3', 'p2', 'p5', 'p4']) await storage.pools.insert(pool(id), []);
      const first = await storage.pools.list(2);
      assert.deepEqual(first.items.map((p) => p.id), ['p1', 'p2']);
      assert.equal(first.nextKey, 'p2');
      const second = await storage.pools.list(2, first.nextKey);
      assert.deepEqual(second.items.map((p) => p.id), ['p3', 'p4']);
      const last = await storage.pools.list(2, second.nextKey);
      assert.deepEqual(last.items.map((p) => p.id), ['p5']);
      assert.equal(last.nextKey, undefined);
      assert.deepEqual((await storage.pools.findByName('pool p3')).map((p) => p.id), ['p3']);
    });

    test('clients belong to one pool, page by id, and go with their pool', async () => {
      await storage.clients.insert(client('p2', 'c1s'));
      await storage.clients.insert(client('p2', 'c2'));
      await storage.clients.insert(client('p2', 'c3'));
      await storage.clients.insert(client('p3', 'c4'));
      await assert.rejects(storage.clients.insert(client('p3', 'c1s')), DuplicateKeyError);
      assert.deepEqual(await storage.clients.get('p2', 'c1s'), client('p2', 'c1s'));
      assert.equal(await storage.clients.get('p3', 'c1s'), undefined, 'not found through another pool');
      const page = await storage.clients.list('p2', 2);
      assert.deepEqual(page.items.map((c) => c.clientId), ['c1s', 'c2']);
      assert.deepEqual((await storage.clients.list('p2', 2, page.nextKey)).items.map((c) => c.clientId), ['c3']);
      assert.equal((await storage.clients.findByName('p2', 'c2'))!.clientId, 'c2');
      assert.equal(await storage.clients.update({ ...client('p2', 'c2'), name: 'renamed', secret: 'new' }), true);
      assert.equal(await storage.clients.update({ ...client('p2', 'c2'), name: 'stale' }), false, 'written since version 0');
      assert.deepEqual(await storage.clients.get('p2', 'c2'), { ...client('p2', 'c2'), name: 'renamed', secret: 'new', version: 1 });
      assert.deepEqual((await storage.clients.listWithSecrets()).map((c) => c.clientId), ['c1s', 'c2']);
      assert.equal(await storage.clients.delete('p2', 'c3'), true);
      assert.equal(await storage.clients.delete('p2', 'c3'), false);

      assert.equal(await storage.pools.delete('p2'), true);
      assert.equal(await storage.clients.get('p2', 'c1s'), undefined);
      assert.equal(await storage.signingKeys.listForPool('p2').then((k) => k.length), 0);
      assert.ok(await storage.clients.get('p3', 'c4'));
    });

    test('reopening the same database keeps the data and re-runs no migration', async () => {
      const second = await openStorage({ ...defaultConfig(), database });
      try {
        assert.equal((await second.pools.get('p1'))!.name, 'renamed');
      } finally {
        await second.close();
      }
    });

    test('attempt counts: concurrent attempts each get their own number, windows expire', async () => {
      await storage.pools.insert(pool('attempts'), []);
      await storage.users.write([{ user: user('attempts', 'sub-1', 'ann'), aliases: [], search: {} }], new Set(['sub-1']));
      const counts = await Promise.all(Array.from({ length: 12 }, () => storage.attemptCounts.count('attempts', 'sub-1', 'ChangePassword', 1_000, 3_600_000)));
      assert.deepEqual([...counts].sort((a, b) => a - b), Array.from({ length: 12 }, (_, i) => i + 1));
      assert.equal(await storage.attemptCounts.count('attempts', 'sub-1', 'ConfirmSignUp', 1_000, 3_600_000), 1, 'actions count apart');
      assert.equal(await storage.attemptCounts.count('attempts', 'sub-1', 'ChangePassword', 3_600_999, 3_600_000), 13, 'still inside the window');
      assert.equal(await storage.attemptCounts.count('attempts', 'sub-1', 'ChangePassword', 3_601_000, 3_600_000), 1, 'a new window');
      assert.equal(await storage.attemptCounts.count('attempts', 'sub-1', 'ChangePassword', 3_601_000, 3_600_000), 2);
      assert.equal(await storage.users.delete('attempts', 'sub-1'), true, 'counts go with the user');
    });

    test('a user write from a stale copy writes nothing, aliases included; failures swap only from what they were', async () => {
      await storage.pools.insert(pool('versions'), []);
      const ann = user('versions', 'sub-v', 'vic');
      await storage.users.write([{ user: ann, aliases: [{ kind: 'email', key: 'v@example.com' }], search: {} }], new Set(['sub-v']));
      const write = (name: string, email: string) =>
        storage.users.write([{ user: { ...ann, attributes: { name }, version: 0 }, aliases: [{ kind: 'email', key: email }], search: {} }], new Set());
      const results = await Promise.all([write('first', 'first@example.com'), write('second', 'second@example.com')]);
      assert.deepEqual([...results].sort(), [false, true], 'of two writes from version 0, one lands');
      const stored = (await storage.users.getBySub('versions', 'sub-v'))!;
      assert.equal(stored.version, 1);
      const winner = stored.attributes.name!;
      assert.equal((await storage.users.getByAlias('versions', { kind: 'email', key: `${winner}@example.com` }))?.sub, 'sub-v', "the winner's alias");
      assert.equal(await storage.users.getByAlias('versions', { kind: 'email', key: 'v@example.com' }), undefined);

      const none = { failures: 0, lastFailureAt: null, inFlight: 0, lastStartedAt: null };
      assert.deepEqual(await storage.users.getSignInAttempts('versions', 'sub-v'), none);
      const swaps = await Promise.all([1, 2, 3].map((n) => storage.users.swapSignInAttempts('versions', 'sub-v', none, { ...none, inFlight: 1, lastStartedAt: n })));
      assert.equal(swaps.filter(Boolean).length, 1, 'one of three swaps from the same state wins');
      const attempts = (await storage.users.getSignInAttempts('versions', 'sub-v'))!;
      assert.equal(attempts.inFlight, 1);
      assert.equal(await storage.users.swapSignInAttempts('versions', 'sub-v', attempts, { ...attempts, inFlight: 0, failures: 1, lastFailureAt: 5 }), true);
      assert.equal(await storage.users.swapSignInAttempts('versions', 'sub-v', attempts, none), false, 'no longer what it was');
      assert.equal((await storage.users.getBySub('versions', 'sub-v'))!.version, 1, 'failures are not a write of the record');
    });

    test('a code gives out at most its guesses, however many are taken at once; one of many removals wins', async () => {
      await storage.pools.insert(pool('guesses'), []);
      await storage.users.write([{ user: user('guesses', 'sub-g', 'gus'), aliases: [], search: {} }], new Set(['sub-g']));
      const code = { poolId: 'guesses', sub: 'sub-g', purpose: 'signup', codeHash: 'h1', destinationAttribute: 'email', expiresAt: 9_000, failedAttempts: 0 };
      await storage.verificationCodes.put(code);
      const taken = await Promise.all(Array.from({ length: 12 }, () => storage.verificationCodes.takeGuess('guesses', 'sub-g', 'signup', 5)));
      assert.deepEqual(taken.filter(Boolean).map((c) => c!.failedAttempts).sort(), [1, 2, 3, 4, 5]);
      assert.equal(await storage.verificationCodes.takeGuess('guesses', 'sub-g', 'signup', 5), undefined, 'none left');
      assert.equal(await storage.verificationCodes.takeGuess('guesses', 'sub-g', 'other', 5), undefined, 'no such code');
      assert.equal(await storage.verificationCodes.remove('guesses', 'sub-g', 'signup', 'other-code'), false, 'another code is not this one');
      const removals = await Promise.all([1, 2, 3].map(() => storage.verificationCodes.remove('guesses', 'sub-g', 'signup', 'h1')));
      assert.deepEqual(removals.filter(Boolean).length, 1, 'one of three removals wins');
      assert.equal(await storage.verificationCodes.get('guesses', 'sub-g', 'signup'), undefined);
    });

    test('auth sessions answer once, across racing consumers; a released one answers again; used ones are told apart', async () => {
      await storage.pools.insert(pool('sessions'), []);
      await storage.users.write([{ user: user('sessions', 'sub-s', 'sam'), aliases: [], search: {} }], new Set(['sub-s']));
      const session = { id: 's1', poolId: 'sessions', clientId: 'c', sub: 'sub-s', challenge: 'SMS_MFA', state: { deviceKey: null }, expiresAt: 10_000 };
      await storage.authSessions.insert(session, 1_000);
      assert.deepEqual(await storage.authSessions.get('s1', 1_000), session);
      assert.equal(await storage.authSessions.wasUsed('s1', 1_000), false);
      const winners = (await Promise.all([1, 2, 3].map(() => storage.authSessions.consume('s1', 1_000)))).filter(Boolean);
      assert.equal(winners.length, 1, 'one of three simultaneous answers gets the session');
      assert.equal(await storage.authSessions.get('s1', 1_000), undefined);
      assert.equal(await storage.authSessions.wasUsed('s1', 1_000), true);
      assert.equal(await storage.authSessions.wasUsed('s1', 10_000), false, 'past its expiry it is only expired');
      await storage.authSessions.release('s1');
      assert.deepEqual(await storage.authSessions.consume('s1', 2_000), session, 'released, it answers again');
      await storage.authSessions.insert({ ...session, challenge: 'DEVICE_SRP_AUTH' }, 2_000);
      assert.equal((await storage.authSessions.get('s1', 2_000))?.challenge, 'DEVICE_SRP_AUTH', 'a used id can carry the next challenge');
      assert.equal(await storage.authSessions.consume('s1', 10_000), undefined, 'expired');
    });

    test('groups count per pool', async () => {
      await storage.pools.insert(pool('counted'), []);
      await storage.pools.insert(pool('other'), []);
      const group = (poolId: string, name: string) => ({ poolId, name, nameKey: name, description: null, precedence: null, roleArn: null, createdAt: 1, updatedAt: 1, version: 0 });
      assert.equal(await storage.groups.count('counted'), 0);
      for (const name of ['a', 'b', 'c']) await storage.groups.insert(group('counted', name));
      await storage.groups.insert(group('other', 'a'));
      assert.equal(await storage.groups.count('counted'), 3);
      await storage.groups.delete('counted', 'b');
      assert.equal(await storage.groups.count('counted'), 2);
    });

    test('pool documents: unique per pool and kind, domain names unique across pools, versioned, gone with the pool', async () => {
      await storage.pools.insert(pool('docs-a'), []);
      await storage.pools.insert(pool('docs-b'), []);
      const doc = (poolId: string, kind: 'resource-server' | 'domain', key: string, body: Record<string, unknown> = {}) => ({ poolId, kind, key, body, createdAt: 1, updatedAt: 1, version: 0 });
      for (const key of ['zeta', 'alpha', 'mid']) await storage.poolDocuments.insert(doc('docs-a', 'resource-server', key, { Name: key }));
      await storage.poolDocuments.insert(doc('docs-b', 'resource-server', 'alpha'));
      await assert.rejects(storage.poolDocuments.insert(doc('docs-a', 'resource-server', 'alpha')), DuplicateKeyError);
      const first = await storage.poolDocuments.list('docs-a', 'resource-server', 2);
      assert.deepEqual([first.items.map((d) => d.key), first.nextKey], [['alpha', 'mid'], 'mid']);
      assert.deepEqual((await storage.poolDocuments.list('docs-a', 'resource-server', 2, 'mid')).items.map((d) => d.key), ['zeta']);
      await storage.poolDocuments.insert(doc('docs-a', 'domain', 'login-a'));
      await assert.rejects(storage.poolDocuments.insert(doc('docs-b', 'domain', 'login-a')), DuplicateKeyError, 'a domain name is one pool’s');
      assert.equal((await storage.poolDocuments.find('domain', 'login-a'))?.poolId, 'docs-a');
      const stored = (await storage.poolDocuments.get('docs-a', 'resource-server', 'mid'))!;
      const racers = await Promise.all([1, 2].map((n) => storage.poolDocuments.update({ ...stored, body: { Name: `v${n}` }, updatedAt: 2 })));
      assert.deepEqual(racers.filter(Boolean).length, 1, 'one of two writes from the same version lands');
      assert.equal((await storage.poolDocuments.get('docs-a', 'resource-server', 'mid'))!.version, 1);
      assert.equal(await storage.poolDocuments.delete('docs-a', 'resource-server', 'mid'), true);
      assert.equal(await storage.poolDocuments.delete('docs-a', 'resource-server', 'mid'), false);
      await storage.pools.delete('docs-a');
      assert.equal(await storage.poolDocuments.find('domain', 'login-a'), undefined);
    });


    test('import jobs: one claim of two wins, runnable by status and lease, files by upload, report lines kept once, gone with the pool', async () => {
      await storage.pools.insert(pool('imports-a'), []);
      const job = (jobId: string, status: ImportJobRecord['status'], leaseUntil: number | null = null): ImportJobRecord => ({
        poolId: 'imports-a', jobId, status, leaseOwner: leaseUntil === null ? null : 'node', leaseUntil, createdAt: 1, version: 0,
        body: { name: jobId, cloudWatchLogsRoleArn: 'arn:aws:iam::1:role/r', imported: 0, skipped: 0, failed: 0, linesDone: 0 },
      });
      await storage.importJobs.insert(job('import-3', 'Created'));
      await storage.importJobs.insert(job('import-1', 'Pending'));
      await storage.importJobs.insert(job('import-2', 'InProgress', 5_000));
      await storage.importJobs.insert(job('import-4', 'Stopping', 1_000));
      await assert.rejects(storage.importJobs.insert(job('import-1', 'Created')), DuplicateKeyError);
      assert.equal(await storage.importJobs.count('imports-a'), 4);
      const first = await storage.importJobs.list('imports-a', 2);
      assert.deepEqual([first.items.map((j) => j.jobId), first.nextKey], [['import-1', 'import-2'], 'import-2']);
      assert.deepEqual((await storage.importJobs.runnable(2_000, 10)).map((j) => j.jobId), ['import-1', 'import-4']);
      assert.deepEqual((await storage.importJobs.runnable(6_000, 10)).map((j) => j.jobId), ['import-1', 'import-2', 'import-4']);
      const pending = (await storage.importJobs.get('imports-a', 'import-1'))!;
      const claims = await Promise.all(['a', 'b'].map((node) => storage.importJobs.update({ ...pending, status: 'InProgress', leaseOwner: node, leaseUntil: 9_000 })));
      assert.equal(claims.filter(Boolean).length, 1, 'one of two claims from the same version lands');
      assert.equal((await storage.importJobs.get('imports-a', 'import-1'))!.version, 1);

      const bytes = (text: string) => new TextEncoder().encode(text);
      await storage.importJobs.putFilePart('import-3', 'old', 0, bytes('stale'));
      await storage.importJobs.putFilePart('import-3', 'new', 1, bytes('world'));
      await storage.importJobs.putFilePart('import-3', 'new', 0, bytes('hello '));
      await storage.importJobs.dropFiles('import-3', 'new');
      assert.equal(await storage.importJobs.getFilePart('import-3', 'old', 0), undefined);
      const parts = [0, 1].map((part) => storage.importJobs.getFilePart('import-3', 'new', part));
      assert.equal(Buffer.concat((await Promise.all(parts)).map((part) => Buffer.from(part!))).toString(), 'hello world');

      await storage.importJobs.addLines('import-3', [{ line: 4, outcome: 'FAILED', message: 'first' }, { line: 2, outcome: 'SKIPPED', message: 'The user already exists.' }]);
      await storage.importJobs.addLines('import-3', [{ line: 4, outcome: 'FAILED', message: 'repeated by a run taken over' }]);
      const lines = await storage.importJobs.lines('import-3', 10);
      assert.deepEqual(lines.items, [{ line: 2, outcome: 'SKIPPED', message: 'The user already exists.' }, { line: 4, outcome: 'FAILED', message: 'first' }]);
      assert.deepEqual((await storage.importJobs.lines('import-3', 1, 2)).items.map((l) => l.line), [4]);
      await storage.pools.delete('imports-a');
      assert.equal(await storage.importJobs.get('imports-a', 'import-3'), undefined);
      assert.equal(await storage.importJobs.getFilePart('import-3', 'new', 0), undefined);
    });
    test('two nodes migrating one database at once both succeed', { skip: backend !== 'postgres' && 'PostgreSQL only' }, async () => {
      const { database: fresh } = await databaseFor('postgres');
      const nodes = await Promise.all([1, 2, 3].map(() => openStorage({ ...defaultConfig(), database: fresh })));
      await nodes[0]!.pools.insert(pool('shared'), []);
      assert.equal((await nodes[1]!.pools.get('shared'))!.id, 'shared');
      await Promise.all(nodes.map((node) => node.close()));
    });
  });
}
