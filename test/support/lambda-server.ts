// Stand-ins for a trigger's function over real sockets: the Lambda Invoke API (as AWS or SAM local
// answer it) and the url route's receiver, each running a plain JS function from the test.
import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { webhookSignature } from '../../src/domain/messages/webhook-delivery.js';
import { functionNameOf } from '../../src/domain/triggers/invokers/arn.js';
import { startTestGatehouse, type Backend, type TestGatehouse } from './gatehouse.js';
import { readBody } from './sockets.js';

/** A test's function; a never-settling promise makes it hang. */
export type TestHandler = (event: unknown, context: TestContext) => unknown;

export interface TestContext {
  functionName: string;
  /** What the caller named: a full ARN, a partial one or a bare name. */
  invokedFunctionArn: string;
}

export interface ReceivedInvocation {
  name: string;
  event: unknown;
  invocationType: string;
  headers: IncomingHttpHeaders;
}

export interface LambdaServer {
  /** The endpoint to give the Lambda client. */
  url: string;
  register(name: string, handler: TestHandler): void;
  unregister(name: string): void;
  /** Every invocation received, in order, known function or not. */
  invocations: ReceivedInvocation[];
  close(): Promise<void>;
}

const INVOKE_PATH = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/;

export async function startLambdaServer(): Promise<LambdaServer> {
  const handlers = new Map<string, TestHandler>();
  const invocations: ReceivedInvocation[] = [];
  const server = createServer((request, response) => {
    void readBody(request).then((body) => {
      const functionName = INVOKE_PATH.exec(request.url?.split('?')[0] ?? '')?.[1];
      if (request.method !== 'POST' || !functionName) return sendJson(response, 404, { message: 'Not found' }, { 'x-amzn-errortype': 'UnknownOperationException' });
      const invoked = decodeURIComponent(functionName);
      const name = functionNameOf(invoked);
      const invocationType = header(request.headers, 'x-amz-invocation-type') ?? 'RequestResponse';
      const event = body ? JSON.parse(body) : undefined;
      invocations.push({ name, event, invocationType, headers: request.headers });
      const handler = handlers.get(name);
      if (!handler) return functionNotFound(response, invoked);
      const running = runHandler(handler, event, { functionName: name, invokedFunctionArn: invoked });
      if (invocationType === 'Event') return void response.writeHead(202).end();
      void running.then((outcome) => answerInvoke(response, outcome));
    }).catch(() => response.destroy());
  });
  const url = await listen(server);
  return {
    url,
    register: (name, handler) => void handlers.set(name, handler),
    unregister: (name) => void handlers.delete(name),
    invocations,
    close: () => closeServer(server),
  };
}

export interface WebhookRequest {
  headers: IncomingHttpHeaders;
  body: string;
  /** Whether the signature matched (always false without a secret). */
  signed: boolean;
}

export interface TriggerWebhook {
  url: string;
  requests: WebhookRequest[];
  close(): Promise<void>;
}

/**
 * The url route's receiver: answers the handler's result with 200, a handler error with 400 and
 * `{errorMessage, errorType}` (the body that makes Gatehouse report a function error), and a bad or
 * missing signature, when it was given a secret, with a plain 401.
 */
export async function startTriggerWebhook(handler: TestHandler, secret?: string): Promise<TriggerWebhook> {
  const requests: WebhookRequest[] = [];
  const server = createServer((request, response) => {
    void readBody(request).then(async (body) => {
      const signed = secret !== undefined && signatureMatches(request.headers, body, secret);
      requests.push({ headers: request.headers, body, signed });
      if (secret !== undefined && !signed) return void response.writeHead(401).end('bad signature');
      const invoked = header(request.headers, 'x-gatehouse-function') ?? '';
      const outcome = await runHandler(handler, JSON.parse(body), { functionName: functionNameOf(invoked), invokedFunctionArn: invoked });
      if ('error' in outcome) sendJson(response, 400, outcome.error);
      else sendJson(response, 200, outcome.result);
    }).catch(() => response.destroy());
  });
  const url = await listen(server);
  return { url: `${url}/trigger`, requests, close: () => closeServer(server) };
}

type Outcome = { result: unknown } | { error: { errorMessage: string; errorType: string; trace: string[] } };

async function runHandler(handler: TestHandler, event: unknown, context: TestContext): Promise<Outcome> {
  try {
    return { result: await handler(event, context) };
  } catch (thrown) {
    const error = thrown instanceof Error ? thrown : new Error(String(thrown));
    return { error: { errorMessage: error.message, errorType: error.name, trace: [] } };
  }
}

/** As Lambda: a thrown error is still a 200, marked by X-Amz-Function-Error. */
function answerInvoke(response: ServerResponse, outcome: Outcome): void {
  if ('error' in outcome) sendJson(response, 200, outcome.error, { 'x-amz-function-error': 'Unhandled' });
  // A handler that returns nothing answers null, as Lambda does.
  else sendJson(response, 200, outcome.result ?? null, { 'x-amz-executed-version': '$LATEST' });
}

/** restJson1: the SDK takes the error's name from x-amzn-ErrorType and Lambda's `Message` member from the body. */
function functionNotFound(response: ServerResponse, invoked: string): void {
  sendJson(response, 404, { Type: 'User', Message: `Function not found: ${invoked}` }, { 'x-amzn-errortype': 'ResourceNotFoundException' });
}

function signatureMatches(headers: IncomingHttpHeaders, body: string, secret: string): boolean {
  const given = Buffer.from(header(headers, 'x-gatehouse-signature') ?? '');
  const expected = Buffer.from(webhookSignature(secret, header(headers, 'x-gatehouse-timestamp') ?? '', body));
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Hanging handlers keep their requests open; dropping the connections lets close() finish. */
function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/** A Gatehouse whose triggers run on a fresh test Lambda server, and the way to stop both. */
export async function startGatehouseWithLambda(backend: Backend): Promise<{ gatehouse: TestGatehouse; lambda: LambdaServer; stop(): Promise<void> }> {
  const lambda = await startLambdaServer();
  const gatehouse = await startTestGatehouse(backend, { lambda: { endpoint: lambda.url, timeoutMs: 2000 } });
  return { gatehouse, lambda, stop: () => gatehouse.stop().then(() => lambda.close()) };
}
