import { randomUUID } from 'node:crypto';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { GatehouseConfig } from '../config.js';
import type { Services } from '../domain/services.js';
import type { Storage } from '../storage/types.js';
import { awsJsonHandler } from './aws-json.js';
import { requestAuthenticator } from './authenticator.js';
import { categoryLimiter, combinedLimiter, rateLimiter } from './rate-limits.js';
import { mergeSnapshots, Metrics } from './metrics.js';
import { localMetricsOnly, registerServiceEndpoints, type MetricsCollector } from './service-endpoints.js';
import type { Clock } from '../clock.js';
import { registerCors } from './cors.js';
import { sendError } from './error-response.js';
import { registerWellKnown } from './well-known.js';
import { registerOAuthEndpoints } from './oauth-endpoints.js';
import { registerHostedPages } from './hosted/pages.js';
import { registerSelfServicePages } from './hosted/self-service-pages.js';
import { registerUiAssets } from './ui-assets.js';
import { registerImportUploads } from './import-uploads.js';
import { registerAuthEventFeedback } from './auth-event-feedback.js';
import { registerConsole } from './console/console-pages.js';
import { ConsoleSessions } from './console/console-session.js';

export interface HttpDependencies {
  services: Services;
  storage: Storage;
  config: Pick<GatehouseConfig, 'maxBodyBytes' | 'accessKeys' | 'rateLimits' | 'host'>;
  /** This process's share of the configured rate limits (1 / workers). */
  rateShare?: number;
  /** Where this process counts requests, and how /metrics gathers every worker's counts. */
  metrics?: Metrics;
  collectMetrics?: MetricsCollector;
  logger: FastifyBaseLogger;
  clock: Clock;
}

/** Far above any real request's upload time, far below what lets slow senders pile up connections. */
const REQUEST_TIMEOUT_MS = 30_000;

export function buildHttpApp({ services, storage, config, logger, clock, rateShare = 1, metrics = new Metrics(() => clock.now()), collectMetrics = localMetricsOnly }: HttpDependencies): FastifyInstance {
  const app = Fastify({
    loggerInstance: logger,
    bodyLimit: config.maxBodyBytes,
    // One log line per request would cost more than most operations; failures are logged where they happen.
    logController: new LogController({ disableRequestLogging: true }),
    genReqId: () => randomUUID(),
    requestIdHeader: false,
    forceCloseConnections: 'idle',
    // A client that sends its headers or body a trickle at a time must not hold a connection for ever.
    requestTimeout: REQUEST_TIMEOUT_MS,
  });

  // The body is read raw for every content type: the protocol layer parses it itself
  // (to answer SerializationException) and request signatures are computed over the raw bytes.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

  app.setErrorHandler((error: Error & { statusCode?: number; code?: string }, request, reply) => {
    reply.header('x-amzn-RequestId', request.id);
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return sendError(reply, 'InvalidParameterException', `Request body exceeds ${config.maxBodyBytes} bytes.`);
    }
    if (error.statusCode !== undefined && error.statusCode < 500) return sendError(reply, 'SerializationException', error.message);
    request.log.error({ err: error }, 'request failed');
    return sendError(reply, 'InternalErrorException', 'An internal error occurred.');
  });

  // A response finished during shutdown closes its connection; otherwise a keep-alive client
  // holds the server open until its idle timeout, long after the last request is answered.
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onSend', async (_request, reply) => {
    if (closing) reply.header('connection', 'close');
  });

  registerCors(app);
  const authenticate = requestAuthenticator(config, clock);
  const now = () => clock.now();
  const limit = combinedLimiter(rateLimiter(config.rateLimits, services.tokens, now, rateShare), categoryLimiter(services.provisionedLimits, services.clients, services.tokens, now, rateShare));
  app.post('/', awsJsonHandler(services, authenticate, limit, metrics));
  registerWellKnown(app, services);
  registerOAuthEndpoints(app, services, limit);
  registerHostedPages(app, services, limit);
  registerSelfServicePages(app, services, limit);
  registerUiAssets(app, services);
  registerImportUploads(app, services);
  registerAuthEventFeedback(app, services);
  registerConsole(app, services, new ConsoleSessions(config, services.secretBox, clock), async () => mergeSnapshots(await collectMetrics(metrics.current())), () => clock.now());
  registerServiceEndpoints(app, storage, metrics, collectMetrics);
  return app;
}
