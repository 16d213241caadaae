// A real Gatehouse on a free port, on a fresh database, driven through real clients.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { ManualClock } from '../../src/clock.js';
import { defaultConfig, type GatehouseConfig } from '../../src/config.js';
import { startGatehouse, type Gatehouse } from '../../src/server.js';
import { createTestDatabase, postgresAvailable } from './postgres.js';

// The pinned SDK warns on every run that its later releases need Node 22; we pin it for exactly that reason.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

export type Backend = 'sqlite' | 'postgres';

/** The backends this run can exercise: SQLite always, PostgreSQL when the runner provides one. */
export const backends = (): Backend[] => (postgresAvailable() ? ['sqlite', 'postgres'] : ['sqlite']);

export interface TestGatehouse {
  readonly server: Gatehouse;
  readonly url: string;
  readonly clock: ManualClock;
  /** An AWS SDK v3 client pointed at this server. */
  readonly cognito: CognitoIdentityProviderClient;
  /** A raw protocol call: POST / with X-Amz-Target. */
  call(operation: string, body: unknown, headers?: Record<string, string>): Promise<RawResponse>;
  stop(): Promise<void>;
}

export interface RawResponse {
  status: number;
  headers: Headers;
  body: any;
}

/**
 * The server key of this test process's PostgreSQL servers, shared as a deployment's nodes share
 * theirs. (Without it each would keep one in ./.gatehouse/server.key of the working directory.)
 * SQLite servers keep theirs beside their temporary database.
 */
export const POSTGRES_SERVER_KEY = randomBytes(32).toString('base64');

/** The environment `gatehouse serve` needs on this backend: the shared key for PostgreSQL. */
export const serverKeyEnv = (backend: Backend): NodeJS.ProcessEnv => (backend === 'postgres' ? { GATEHOUSE_SERVER_KEY: POSTGRES_SERVER_KEY } : {});

export async function databaseFor(backend: Backend): Promise<{ database: string; cleanup(): Promise<void> }> {
  if (backend === 'postgres') return { database: await createTestDatabase(), cleanup: async () => {} };
  const dir = await mkdtemp(join(tmpdir(), 'gatehouse-test-'));
  return { database: join(dir, 'gatehouse.db'), cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export async function startTestGatehouse(backend: Backend = 'sqlite', overrides: Partial<GatehouseConfig> = {}): Promise<TestGatehouse> {
  const { database, cleanup } = await databaseFor(backend);
  const clock = new ManualClock();
  const serverKey = backend === 'postgres' ? { serverKey: POSTGRES_SERVER_KEY } : {};
  const server = await startGatehouse({ ...defaultConfig(), port: 0, logLevel: 'silent', database, ...serverKey, ...overrides }, { clock });
  const cognito = cognitoClient(server.url);
  return {
    server,
    url: server.url,
    clock,
    cognito,
    call: (operation, body, headers) => rawCall(server.url, operation, body, headers),
    async stop() {
      cognito.destroy();
      await server.close();
      await cleanup();
    },
  };
}

export function cognitoClient(endpoint: string): CognitoIdentityProviderClient {
  return new CognitoIdentityProviderClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' },
    maxAttempts: 1,
  });
}

export async function rawCall(url: string, operation: string, body: unknown, headers: Record<string, string> = {}): Promise<RawResponse> {
  const response = await fetch(`${url}/`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': `AWSCognitoIdentityProviderService.${operation}`,
      ...headers,
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // leave non-JSON bodies as text for the assertion to show
  }
  return { status: response.status, headers: response.headers, body: parsed };
}
