import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestGatehouse, type TestGatehouse } from './support/gatehouse.js';

describe('abuse limits', () => {
  let gatehouse: TestGatehouse;
  before(async () => {
    gatehouse = await startTestGatehouse('sqlite', { rateLimits: { perPoolPerOperation: 0, operations: { ListUsers: 2 } } });
  });
  after(() => gatehouse.stop());

  test('a pool over its per-operation rate gets TooManyRequestsException (429), other pools and operations do not', async () => {
    const pool = async (name: string) => (await gatehouse.call('CreateUserPool', { PoolName: name })).body.UserPool.Id as string;
    const [a, b] = [await pool('limited-a'), await pool('limited-b')];
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await gatehouse.call('ListUsers', { UserPoolId: a })).status);
    assert.deepEqual(statuses, [200, 200, 429]);
    const throttled = await gatehouse.call('ListUsers', { UserPoolId: a });
    assert.equal(throttled.body.__type, 'TooManyRequestsException');
    assert.equal(throttled.headers.get('x-amzn-errortype'), 'TooManyRequestsException:');
    assert.equal((await gatehouse.call('ListUsers', { UserPoolId: b })).status, 200);
    assert.equal((await gatehouse.call('DescribeUserPool', { UserPoolId: a })).status, 200);
    gatehouse.clock.advance(600);
    assert.equal((await gatehouse.call('ListUsers', { UserPoolId: a })).status, 200, 'the budget refills');
  });

  test('deeply nested JSON is refused before it is parsed', async () => {
    const deep = `{"UserPoolId":${'['.repeat(10_000)}${']'.repeat(10_000)}}`;
    const response = await gatehouse.call('DescribeUserPool', deep);
    assert.equal(response.status, 400);
    assert.equal(response.body.__type, 'SerializationException');
    const brackets = await gatehouse.call('CreateUserPool', { PoolName: 'brackets', UserPoolTags: { deep: '[['.repeat(100) } });
    assert.equal(brackets.status, 200, 'brackets inside strings do not count');
  });
});
