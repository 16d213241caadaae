// `npm run bench`: starts the real server on a temporary database and prints one JSON line per scenario:
// {scenario, ops_per_s, p50_ms, p99_ms, concurrency, n, backend}. Options: --seconds N, --concurrency N, --only name.
import { spawn } from 'node:child_process';
import { Agent, request } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const CLI = fileURLToPath(new URL('../src/cli/main.js', import.meta.url));

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '3' },
    concurrency: { type: 'string', default: '16' },
    only: { type: 'string' },
  },
});
const SECONDS = Number(values.seconds);
const CONCURRENCY = Number(values.concurrency);

interface Server {
  url: string;
  startupMs: number;
  stop(): Promise<void>;
}

async function startServer(database: string): Promise<Server> {
  const started = performance.now();
  const child = spawn(process.execPath, [CLI, 'serve', '--port', '0', '--db', database, '--log-level', 'info'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk;
      const match = /serving the Cognito API on (http:\/\/[^\s"]+)/.exec(output);
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
  // Start-up ends when a request is answered, not when the log line appears.
  await call(url, 'ListUserPools', { MaxResults: 1 });
  const startupMs = performance.now() - started;
  return {
    url,
    startupMs,
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

// node:http with keep-alive costs the load generator far less than fetch, so the server, not the client, is measured.
const agent = new Agent({ keepAlive: true, maxSockets: 256 });

function call(url: string, operation: string, body: unknown): Promise<any> {
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      `${url}/`,
      {
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/x-amz-json-1.1',
          'x-amz-target': `AWSCognitoIdentityProviderService.${operation}`,
          'content-length': Buffer.byteLength(payload),
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => (res.statusCode === 200 ? resolve(JSON.parse(text)) : reject(new Error(`${operation} failed: ${text}`))));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
const round = (value: number, digits = 2) => Number(value.toFixed(digits));

/** Runs `operation` from CONCURRENCY loops for SECONDS and reports throughput and latency. */
async function measure(scenario: string, extra: Record<string, unknown>, operation: () => Promise<unknown>): Promise<void> {
  const latencies: number[] = [];
  const deadline = performance.now() + SECONDS * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < deadline) {
        const t0 = performance.now();
        await operation();
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  console.log(
    JSON.stringify({
      scenario,
      ops_per_s: round(latencies.length / elapsed, 1),
      p50_ms: round(percentile(latencies, 50)),
      p99_ms: round(percentile(latencies, 99)),
      concurrency: CONCURRENCY,
      n: latencies.length,
      ...extra,
    }),
  );
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'gatehouse-bench-'));
  const server = await startServer(join(dir, 'bench.db'));
  const extra = { backend: 'sqlite' };
  try {
    console.log(JSON.stringify({ scenario: 'startup_to_first_response', ms: round(server.startupMs, 1), ...extra }));
    const { UserPool } = await call(server.url, 'CreateUserPool', { PoolName: 'bench' });
    const scenarios: Record<string, () => Promise<unknown>> = {
      DescribeUserPool: () => call(server.url, 'DescribeUserPool', { UserPoolId: UserPool.Id }),
      CreateUserPoolClient: () => call(server.url, 'CreateUserPoolClient', { UserPoolId: UserPool.Id, ClientName: 'bench' }),
    };
    for (const [name, operation] of Object.entries(scenarios)) {
      if (values.only && !name.includes(values.only)) continue;
      await measure(name, extra, operation);
    }
  } finally {
    agent.destroy();
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
