import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Services } from '../../domain/services.js';
import type { MetricsSnapshot } from '../metrics.js';
import type { ConsoleSessions, OperatorSession } from './console-session.js';

/** What a page adds to its rendering after a refused action. */
export type PageExtra = { status?: number; error?: string };
/** A page's content for a signed-in operator. */
export type Render = (request: FastifyRequest, session: OperatorSession, extra: PageExtra) => Promise<{ title: string; poolId?: string; body: string }>;
type Handler = (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>;

/** What each group of console pages is built from; made once by registerConsole. */
export interface ConsoleKit {
  app: FastifyInstance;
  services: Services;
  sessions: ConsoleSessions;
  counters: () => Promise<MetricsSnapshot>;
  /** Runs an API operation in-process, its input checked against the service model as the API does. */
  call: <T = any>(operation: string, input: Record<string, unknown>) => Promise<T>;
  /** A page for a signed-in operator, or a redirect to the sign-in page. */
  view: (render: Render) => Handler;
  /** Renders a page for an operator already known. */
  show: (request: FastifyRequest, reply: FastifyReply, session: OperatorSession, render: Render, extra: PageExtra) => Promise<unknown>;
  /** A form posted by a signed-in operator from the console, run, then a redirect; refused, the page `again` with Cognito's message. */
  action: (run: (request: FastifyRequest, form: URLSearchParams) => Promise<string>, again: Render) => Handler;
  /** The operator whose genuine form this is, or undefined once the refusal is sent. */
  genuine: (request: FastifyRequest, reply: FastifyReply, form: URLSearchParams) => OperatorSession | undefined;
  params: (request: FastifyRequest) => Record<string, string>;
  /** The query's parameters given once: a repeated one (which arrives as a list) counts as absent. */
  query: (request: FastifyRequest) => Record<string, string | undefined>;
  /** A form field, trimmed ('' when absent). */
  field: (form: URLSearchParams, name: string) => string;
}
