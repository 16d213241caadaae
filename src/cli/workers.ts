import cluster, { type Worker } from 'node:cluster';
import { pino } from 'pino';
import { isPostgresUrl, type GatehouseConfig } from '../config.js';
import { prepareGatehouse, startGatehouse } from '../server.js';
import { Metrics, type MetricsSnapshot } from '../http/metrics.js';

interface Listening {
  type: 'listening';
  url: string;
}

/** Metrics over IPC: a worker asks, the primary collects from every worker, and answers. */
type MetricsMessage =
  | { type: 'metrics-request'; id: string }
  | { type: 'metrics-collect'; id: string }
  | { type: 'metrics-snapshot'; id: string; snapshot: MetricsSnapshot }
  | { type: 'metrics-response'; id: string; snapshots: MetricsSnapshot[] };

/** How long /metrics waits for the other workers before answering with what it has. */
const METRICS_WAIT_MS = 1000;

/**
 * `--workers N`: this process prepares the database once, then starts N copies of the server on
 * one port (the cluster module shares the socket) and keeps them running. All state lives in the
 * database, so the copies behave as one service, as separate nodes on PostgreSQL do.
 */
export async function servePrimary(config: GatehouseConfig, count: number): Promise<number> {
  const log = pino({ level: config.logLevel });
  await prepareGatehouse(config);
  let stopping = false;
  const start = (): Promise<string> => {
    const worker = cluster.fork({ GATEHOUSE_WORKER_COUNT: String(count) });
    worker.on('message', (message: MetricsMessage) => {
      if (message?.type === 'metrics-request') void gatherMetrics(worker, message.id);
    });
    worker.on('exit', (code, signal) => {
      if (stopping) return;
      log.error(`worker ${worker.process.pid} exited (${signal ?? code}); starting another`);
      start().catch((error: unknown) => log.error({ err: error }, 'could not replace a worker'));
    });
    return listeningUrl(worker);
  };
  const urls = await Promise.all(Array.from({ length: count }, start));
  const backend = isPostgresUrl(config.database) ? 'postgresql' : `sqlite ${config.database}`;
  log.info(`Gatehouse serving the Cognito API on ${urls[0]} (${backend}, ${count} workers)`);
  const signal = await new Promise<string>((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
  stopping = true;
  log.info(`${signal}: stopping the workers`);
  await Promise.all(Object.values(cluster.workers ?? {}).map((worker) => stopWorker(worker!)));
  return 0;
}

/** Asks every worker for its counts and hands them all to the one serving /metrics. */
async function gatherMetrics(requester: Worker, id: string): Promise<void> {
  const workers = Object.values(cluster.workers ?? {}).filter((worker): worker is Worker => worker !== undefined && !worker.isDead());
  const snapshots = await Promise.all(
    workers.map(
      (worker) =>
        new Promise<MetricsSnapshot | undefined>((resolve) => {
          const timer = setTimeout(() => finish(undefined), METRICS_WAIT_MS);
          const listener = (message: MetricsMessage) => {
            if (message?.type === 'metrics-snapshot' && message.id === id) finish(message.snapshot);
          };
          const finish = (snapshot: MetricsSnapshot | undefined) => {
            clearTimeout(timer);
            worker.off('message', listener);
            resolve(snapshot);
          };
          worker.on('message', listener);
          worker.send({ type: 'metrics-collect', id } satisfies MetricsMessage);
        }),
    ),
  );
  if (!requester.isDead()) requester.send({ type: 'metrics-response', id, snapshots: snapshots.filter((s) => s !== undefined) } satisfies MetricsMessage);
}

/** One worker: the server without the seed, stopped by the primary's signal or by losing the primary. */
export async function serveWorker(config: GatehouseConfig): Promise<number> {
  // Rate limits are kept per process, so each worker enforces its share of them.
  const rateShare = 1 / Number(process.env.GATEHOUSE_WORKER_COUNT ?? 1);
  const metrics = new Metrics();
  const gatehouse = await startGatehouse(config, { seed: false, rateShare, metrics, collectMetrics: metricsThroughPrimary });
  process.on('message', (message: MetricsMessage) => {
    if (message?.type === 'metrics-collect') process.send!({ type: 'metrics-snapshot', id: message.id, snapshot: metrics.current() } satisfies MetricsMessage);
  });
  process.send!({ type: 'listening', url: gatehouse.url } satisfies Listening);
  await new Promise<void>((resolve) => {
    const stop = () => gatehouse.close().then(resolve, resolve);
    process.once('SIGTERM', stop);
    process.once('SIGINT', () => undefined);
    // The primary died without telling us (kill -9): nothing will route requests here any more.
    process.once('disconnect', stop);
  });
  return 0;
}

let nextMetricsRequest = 0;

/** In a worker: every worker's counts, by way of the primary; this worker's alone if that takes too long. */
function metricsThroughPrimary(local: MetricsSnapshot): Promise<MetricsSnapshot[]> {
  const id = `${process.pid}:${++nextMetricsRequest}`;
  return new Promise((resolve) => {
    const timer = setTimeout(() => finish([local]), 2 * METRICS_WAIT_MS);
    const listener = (message: MetricsMessage) => {
      if (message?.type === 'metrics-response' && message.id === id) finish(message.snapshots);
    };
    const finish = (snapshots: MetricsSnapshot[]) => {
      clearTimeout(timer);
      process.off('message', listener);
      resolve(snapshots);
    };
    process.on('message', listener);
    process.send!({ type: 'metrics-request', id } satisfies MetricsMessage);
  });
}

function listeningUrl(worker: Worker): Promise<string> {
  return new Promise((resolve, reject) => {
    worker.on('message', (message: Listening) => {
      if (message?.type === 'listening') resolve(message.url);
    });
    worker.once('exit', (code) => reject(new Error(`a worker exited with ${code} before listening`)));
  });
}

function stopWorker(worker: Worker): Promise<void> {
  return new Promise((resolve) => {
    if (worker.isDead()) return resolve();
    worker.once('exit', () => resolve());
    worker.process.kill('SIGTERM');
  });
}
