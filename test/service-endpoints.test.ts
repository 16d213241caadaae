import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { databaseFor, rawCall, startTestGatehouse } from './support/gatehouse.js';
import { serve } from './support/process.js';

/** The value of one sample line of a Prometheus exposition, or undefined. */
function sample(text: string, line: string): number | undefined {
  const found = text.split('\n').find((candidate) => candidate.startsWith(`${line} `));
  return found === undefined ? undefined : Number(found.slice(line.length + 1));
}

const metricsOf = async (url: string) => {
  const response = await fetch(`${url}/metrics`);
  assert.equal(response.status, 200);
  assert.match(response.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
  return response.text();
};

describe('health, readiness and metrics', () => {
  test('requests by operation and outcome, latency histograms, sign-in results, database state', async () => {
    const gatehouse = await startTestGatehouse('sqlite');
    try {
      const { UserPool } = (await gatehouse.call('CreateUserPool', { PoolName: 'metrics' })).body;
      const { UserPoolClient } = (await gatehouse.call('CreateUserPoolClient', { UserPoolId: UserPool.Id, ClientName: 'c', ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH'] })).body;
      await gatehouse.call('AdminCreateUser', { UserPoolId: UserPool.Id, Username: 'ann', MessageAction: 'SUPPRESS' });
      await gatehouse.call('AdminSetUserPassword', { UserPoolId: UserPool.Id, Username: 'ann', Password: 'Passw0rd!x', Permanent: true });
      const signIn = (PASSWORD: string) => gatehouse.call('InitiateAuth', { ClientId: UserPoolClient.ClientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'ann', PASSWORD } });
      assert.equal((await signIn('Passw0rd!x')).status, 200);
      assert.equal((await signIn('wrong-one')).status, 400);
      await gatehouse.call('DescribeUserPool', { UserPoolId: 'us-east-1_missing' });

      const text = await metricsOf(gatehouse.url);
      assert.equal(sample(text, 'gatehouse_requests_total{operation="InitiateAuth",outcome="success"}'), 1);
      assert.equal(sample(text, 'gatehouse_requests_total{operation="InitiateAuth",outcome="NotAuthorizedException"}'), 1);
      assert.equal(sample(text, 'gatehouse_requests_total{operation="DescribeUserPool",outcome="ResourceNotFoundException"}'), 1);
      assert.equal(sample(text, 'gatehouse_sign_in_results_total{operation="InitiateAuth",result="tokens"}'), 1);
      assert.equal(sample(text, 'gatehouse_sign_in_results_total{operation="InitiateAuth",result="NotAuthorizedException"}'), 1);
      assert.equal(sample(text, 'gatehouse_request_duration_seconds_count{operation="InitiateAuth"}'), 2);
      assert.equal(sample(text, 'gatehouse_request_duration_seconds_bucket{operation="InitiateAuth",le="+Inf"}'), 2);
      assert.equal(sample(text, 'gatehouse_database_up{backend="sqlite"}'), 1);
      assert.match(text, /# TYPE gatehouse_request_duration_seconds histogram/);

      assert.deepEqual(await (await fetch(`${gatehouse.url}/health`)).json(), { status: 'ok', ready: true });
      assert.deepEqual(await (await fetch(`${gatehouse.url}/ready`)).json(), { status: 'ready' });
    } finally {
      await gatehouse.stop();
    }
  });

  test('with --workers 2, any worker answers /metrics with the sum over both', async () => {
    const { database, cleanup } = await databaseFor('sqlite');
    const server = await serve(['--db', database, '--workers', '2']);
    try {
      const calls = 40;
      // Fresh connections, so the kernel spreads them over both workers.
      for (let i = 0; i < calls; i++) await rawCall(server.url, 'ListUserPools', { MaxResults: 1 }, { connection: 'close' });
      const text = await metricsOf(server.url);
      assert.equal(sample(text, 'gatehouse_processes'), 2);
      assert.equal(sample(text, 'gatehouse_requests_total{operation="ListUserPools",outcome="success"}'), calls);
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
      await cleanup();
    }
  });
});
