import { availableParallelism } from 'node:os';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { pino, type Logger } from 'pino';
import { systemClock, type Clock } from './clock.js';
import { checkExposure, isLoopback, isPostgresUrl, type GatehouseConfig } from './config.js';
import { sealLegacySecrets } from './domain/keys/legacy-secrets.js';
import { SecretBox } from './domain/keys/secret-box.js';
import { deliveryFromConfig, describeDelivery } from './domain/messages/delivery-from-config.js';
import { OutboxDelivery } from './domain/messages/outbox.js';
import { DeliveryOutcomes } from './domain/messages/reporting.js';
import { createServices, type Services } from './domain/services.js';
import type { CodeSealer } from './domain/messages/messenger.js';
import type { CodeEncryption } from './domain/triggers/code-encryption.js';
import type { FunctionInvoker } from './domain/triggers/invocation.js';
import { createInvoker } from './domain/triggers/invokers/router.js';
import type { InvocationRecord } from './domain/triggers/triggers.js';
import { buildHttpApp } from './http/app.js';
import { Metrics } from './http/metrics.js';
import type { MetricsCollector } from './http/service-endpoints.js';
import { applySeed } from './seed.js';
import { resolveServerKey } from './server-key.js';
import { openStorage } from './storage/open.js';
import type { ImportJobRecord, Storage } from './storage/types.js';

export interface Gatehouse {
  /** Where the Cognito API answers, e.g. http://127.0.0.1:9229 */
  readonly url: string;
  readonly services: Services;
  readonly storage: Storage;
  readonly app: FastifyInstance;
  /** Stops accepting, lets in-flight requests finish, closes the database. */
  close(): Promise<void>;
}

export interface StartOptions {
  clock?: Clock;
  /** Whether to apply the config's pools; a worker leaves that to the process that prepared the database. */
  seed?: boolean;
  /** This process's share of the configured rate limits and of the cores: 1 / the number of workers. */
  rateShare?: number;
  /** A worker's counts, which its siblings' /metrics include. */
  metrics?: Metrics;
  collectMetrics?: MetricsCollector;
}

/** Opens the database, applies the seed, and listens: everything `gatehouse serve` does. */
export async function startGatehouse(config: GatehouseConfig, options: StartOptions = {}): Promise<Gatehouse> {
  checkExposure(config);
  const clock = options.clock ?? systemClock;
  const storage = await openStorage(config);
  let listeningUrl = '';
  const publicUrl = () => config.publicUrl?.replace(/\/+$/, '') ?? listeningUrl;
  const logger = pino({ level: config.logLevel });
  // In development mode the console's outbox shows every message delivered, codes included.
  const deliveryOutcomes = new DeliveryOutcomes();
  const configured = deliveryFromConfig(config, logger, deliveryOutcomes);
  const delivery = config.accessKeys.length === 0 ? new OutboxDelivery(configured, storage, clock) : configured;
  const metrics = options.metrics ?? new Metrics(() => clock.now());
  const triggers = triggerRunning(config, logger, metrics);
  let services: Services;
  let app: FastifyInstance | undefined;
  try {
    const secretBox = await openSecretBox(config, logger);
    const hashSlots = Math.max(1, Math.floor(availableParallelism() * (options.rateShare ?? 1)));
    const onImportLog = (job: ImportJobRecord, line: string) => logger.info({ importJob: { poolId: job.poolId, jobId: job.jobId, name: job.body.name } }, `import job ${job.jobId}: ${line}`);
    const onLogDeliveryWarning = (line: string) => logger.warn(line);
    services = createServices({ storage, clock, config, publicUrl, delivery, secretBox, hashSlots, onImportLog, deliveryOutcomes, onLogDeliveryWarning, ...triggers });
    if (options.seed !== false) await prepareDatabase(storage, services, config, logger);
    app = buildHttpApp({ services, storage, config, logger, clock, rateShare: options.rateShare, metrics, collectMetrics: options.collectMetrics });
    if (options.seed !== false) {
      logger.info(`messages: ${describeDelivery(config)}`);
      warnIfOpen(config, logger);
      warnIfIssuerPerNode(config, logger);
    }
    await app.listen({ host: config.host, port: config.port });
    listeningUrl = urlOf(app.server.address() as AddressInfo);
    services.importRunner.start();
  } catch (error) {
    await app?.close();
    await triggers.close();
    await storage.close();
    throw error;
  }
  const server = app;
  const runningServices = services;
  let closing: Promise<void> | undefined;
  return {
    url: listeningUrl,
    services,
    storage,
    app: server,
    close: () =>
      (closing ??= Promise.all([server.close(), runningServices.importRunner.close()])
        .then(() => Promise.all([storage.close(), triggers.close(), runningServices.poolLogs.flush()]))
        .then(() => undefined)),
  };
}

/**
 * Everything a start does before listening, once, for the processes `--workers` starts after it:
 * migrations, the server key (made if missing), and the seed.
 */
export async function prepareGatehouse(config: GatehouseConfig): Promise<void> {
  checkExposure(config);
  await withServices(config, async ({ storage, services, logger }) => {
    logger.info(`messages: ${describeDelivery(config)}`);
    warnIfOpen(config, logger);
    await prepareDatabase(storage, services, config, logger);
  });
}

/**
 * The domain on the configured database without serving it: what the command-line tools (export,
 * import, the start-up preparation) work through. Migrations run; the database is closed after.
 */
export async function withServices<T>(
  config: GatehouseConfig,
  use: (parts: { storage: Storage; services: Services; logger: Logger }) => Promise<T>,
  /** Where the log goes: standard error for tools whose output is data. */
  logTo: 1 | 2 = 1,
): Promise<T> {
  const storage = await openStorage(config);
  try {
    const logger = pino({ level: config.logLevel }, pino.destination(logTo));
    const secretBox = await openSecretBox(config, logger);
    const triggers = triggerRunning(config, logger);
    try {
      const services = createServices({ storage, clock: systemClock, config, publicUrl: () => config.publicUrl ?? '', delivery: deliveryFromConfig(config, logger), secretBox, ...triggers });
      return await use({ storage, services, logger });
    } finally {
      await triggers.close();
    }
  } finally {
    await storage.close();
  }
}

/** What one process does for all before serving: secrets kept in the clear are sealed, the seed applied. */
async function prepareDatabase(storage: Storage, services: Services, config: GatehouseConfig, logger: Logger): Promise<void> {
  const sealed = await sealLegacySecrets(storage, services.secretBox);
  if (sealed.signingKeys + sealed.clientSecrets > 0) {
    logger.info(`sealed with the server key what was stored in the clear: ${sealed.signingKeys} signing key(s), ${sealed.clientSecrets} client secret(s)`);
  }
  await applySeed(services, config.userPools);
}

function warnIfOpen(config: GatehouseConfig, logger: Logger): void {
  if (config.accessKeys.length > 0) return;
  const where = isLoopback(config.host) ? `only on ${config.host}` : `on ${config.host}, allowed by --allow-unauthenticated`;
  logger.warn(`no access keys configured: development mode, Admin* and pool-management operations accept any signature (${where})`);
}

/** Tokens name their issuer and every node checks it: on a shared database the nodes need one public URL. */
function warnIfIssuerPerNode(config: GatehouseConfig, logger: Logger): void {
  if (!isPostgresUrl(config.database) || config.publicUrl !== undefined || config.tokenIssuer === 'cognito') return;
  logger.warn('no public URL set: tokens name this node\'s own address as issuer, and other nodes on this database will refuse them. Set --public-url (GATEHOUSE_PUBLIC_URL) to the address clients use, the same on every node');
}

/** The server key, from configuration or its file; a newly made one is worth a warning. */
async function openSecretBox(config: GatehouseConfig, logger: Logger): Promise<SecretBox> {
  const { key, source, file } = await resolveServerKey(config);
  const secretBox = new SecretBox(key);
  if (source === 'generated') {
    const sharing = isPostgresUrl(config.database)
      ? 'every node on this PostgreSQL database must share it: set GATEHOUSE_SERVER_KEY or serverKeyFile'
      : 'back it up with the database';
    logger.warn(`generated a new server key ${secretBox.keyId} in ${file}; it seals signing keys and password verifiers, so ${sharing}`);
  }
  return secretBox;
}

/** A wildcard bind is reached through loopback from this machine. */
function urlOf(address: AddressInfo): string {
  const host = address.address === '0.0.0.0' || address.address === '::' ? 'localhost' : address.address;
  return `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
}

/** How this process runs triggers and encrypts their codes, with each invocation logged and counted. */
function triggerRunning(config: GatehouseConfig, logger: Logger, metrics?: Metrics) {
  const invoker: FunctionInvoker = createInvoker(config);
  // Loaded on first use: the Encryption SDK and the KMS client add a third of a second to every start.
  let encryption: Promise<CodeEncryption> | undefined;
  const loadEncryption = () =>
    (encryption ??= import('./domain/triggers/code-encryption.js').then(({ CodeEncryption }) => new CodeEncryption({ endpoint: config.kms.endpoint, region: config.region })));
  const sealer: CodeSealer = { encrypt: async (code, keyId, context) => (await loadEncryption()).encrypt(code, keyId, context) };
  const onInvocation = (record: InvocationRecord) => {
    metrics?.recordTrigger(record.poolId, record.source, record.functionArn, record.outcome, record.milliseconds / 1000);
    const level = record.outcome === 'answered' ? 'info' : 'warn';
    logger[level]({ trigger: record }, `trigger ${record.source} → ${record.functionArn}: ${record.outcome} in ${Math.round(record.milliseconds)} ms`);
  };
  const close = async () => {
    await invoker.close?.();
    (await encryption)?.close();
  };
  return { invoker, sealer, onInvocation, close };
}
