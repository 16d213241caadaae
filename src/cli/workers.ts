import cluster, { type Worker } from 'node:cluster';
import { pino } from 'pino';
import { isPostgresUrl, type GatehouseConfig } from '../config.js';
import { prepareGatehouse, startGatehouse } from '../server.js';

interface Listening {
  type: 'listening';
  url: string;
}

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

/** One worker: the server without the seed, stopped by the primary's signal or by losing the primary. */
export async function serveWorker(config: GatehouseConfig): Promise<number> {
  // Rate limits are kept per process, so each worker enforces its share of them.
  const rateShare = 1 / Number(process.env.GATEHOUSE_WORKER_COUNT ?? 1);
  const gatehouse = await startGatehouse(config, { seed: false, rateShare });
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
