// `gatehouse serve --workers N` keeps N workers: one that dies is replaced, once, whatever messages it
// exchanged with the primary before (a /metrics request makes every worker send one).
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { databaseFor, rawCall } from './support/gatehouse.js';
import { serve } from './support/process.js';

const workersOf = (pid: number): number[] =>
  readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);

const skip = existsSync('/proc/self/task') ? false : 'reads worker processes from /proc (Linux)';

test('a worker that dies is replaced by exactly one new worker, after /metrics traffic', { skip }, async () => {
  const { database, cleanup } = await databaseFor('sqlite');
  const server = await serve(['--db', database, '--workers', '2']);
  try {
    for (let i = 0; i < 3; i++) assert.equal((await fetch(`${server.url}/metrics`, { headers: { connection: 'close' } })).status, 200);
    const before = workersOf(server.child.pid!);
    assert.equal(before.length, 2);
    process.kill(before[0]!, 'SIGKILL');

    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline && !/starting another/.test(server.output())) await new Promise((resolve) => setTimeout(resolve, 50));
    // Time for any surplus replacement to appear too.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const after = workersOf(server.child.pid!);
    assert.equal(after.length, 2, `two workers, not ${after.length}`);
    assert.ok(!after.includes(before[0]!));
    assert.equal(server.output().match(/starting another/g)?.length, 1, 'one replacement');
    for (let i = 0; i < 4; i++) assert.equal((await rawCall(server.url, 'ListUserPools', { MaxResults: 1 }, { connection: 'close' })).status, 200);
  } finally {
    server.child.kill('SIGTERM');
    await server.exited;
    await cleanup();
  }
});
