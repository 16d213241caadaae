import type { FastifyInstance } from 'fastify';
import type { Storage } from '../storage/types.js';
import { exposition, mergeSnapshots, type Metrics, type MetricsSnapshot } from './metrics.js';

/** Every process's snapshot; a worker asks its siblings through the primary, a lone server has only its own. */
export type MetricsCollector = (local: MetricsSnapshot) => Promise<MetricsSnapshot[]>;

/** A load balancer's health check gives up after a few seconds; a hung database must answer sooner. */
const READINESS_WAIT_MS = 2000;
/** Liveness must answer at once even when the database hangs. */
const HEALTH_READINESS_WAIT_MS = 300;

type Readiness = Awaited<ReturnType<Storage['readiness']>> | 'database not answering';

function readinessWithin(storage: Storage, ms: number): Promise<Readiness> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<Readiness>((resolve) => {
    timer = setTimeout(() => resolve('database not answering'), ms);
  });
  return Promise.race([storage.readiness().catch((): Readiness => 'database unreachable'), late]).finally(() => clearTimeout(timer));
}

export const localMetricsOnly: MetricsCollector = async (local) => [local];

/**
 * What operators and load balancers poll: liveness, readiness (the database answers and its
 * schema is current), and Prometheus metrics.
 */
export function registerServiceEndpoints(app: FastifyInstance, storage: Storage, metrics: Metrics, collect: MetricsCollector): void {
  // Liveness: 200 while the process serves, whatever the database does (restarting a node cures no
  // database outage). The body says whether it could serve now, for eyes rather than probes.
  app.get('/health', async () => {
    const state = await readinessWithin(storage, HEALTH_READINESS_WAIT_MS);
    return { status: 'ok', ready: state === 'ready', ...(state !== 'ready' && { reason: state }) };
  });
  app.get('/ready', async (_request, reply) => {
    const state = await readinessWithin(storage, READINESS_WAIT_MS);
    return state === 'ready' ? { status: 'ready' } : reply.code(503).send({ status: state });
  });
  app.get('/metrics', async (_request, reply) => {
    const [snapshots, readiness] = await Promise.all([collect(metrics.current()), readinessWithin(storage, READINESS_WAIT_MS)]);
    const body = exposition(mergeSnapshots(snapshots), { backend: storage.kind, pool: storage.poolStats(), ready: readiness === 'ready' }, snapshots.length);
    return reply.header('content-type', 'text/plain; version=0.0.4; charset=utf-8').send(body);
  });
}
