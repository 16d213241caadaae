// A worker thread standing in for one Lambda execution environment: it loads the trigger's module once
// and runs its handler for one invocation at a time, with a Lambda-like context.
import { randomBytes } from 'node:crypto';
import { basename, extname } from 'node:path';
import { pathToFileURL } from 'node:url';
import { types } from 'node:util';
import { parentPort, workerData } from 'node:worker_threads';
import { functionNameOf } from './arn.js';
import type { InvokeRequest, WorkerMessage, WorkerReply } from './module-protocol.js';
import { errorReport } from './results.js';

type Callback = (error?: unknown, result?: unknown) => void;

interface LambdaContext {
  functionName: string;
  functionVersion: string;
  invokedFunctionArn: string;
  memoryLimitInMB: string;
  awsRequestId: string;
  logGroupName: string;
  logStreamName: string;
  callbackWaitsForEmptyEventLoop: boolean;
  getRemainingTimeInMillis(): number;
  succeed(result?: unknown): void;
  fail(error: unknown): void;
  done: Callback;
}

type Handler = (event: unknown, context: LambdaContext, callback: Callback) => unknown;

type Loaded = { handler: Handler } | { initFailure: string };

const { modulePath } = workerData as { modulePath: string };
// Lambda names one log stream per execution environment, which is what this worker is.
const logStreamName = `${new Date().toISOString().slice(0, 10).replaceAll('-', '/')}/[$LATEST]${randomBytes(16).toString('hex')}`;
let loading: Promise<Loaded> | undefined;

parentPort!.on('message', (request: InvokeRequest) => {
  void invoke(request).then((reply) => post(reply));
});
post({ kind: 'ready' });

function post(message: WorkerMessage): void {
  parentPort!.postMessage(message);
}

async function invoke(request: InvokeRequest): Promise<WorkerReply> {
  const loaded = await (loading ??= loadHandler());
  if ('initFailure' in loaded) return { kind: 'init-failed', reason: loaded.initFailure };
  try {
    const result = await runHandler(loaded.handler, JSON.parse(request.eventJson), request);
    // Lambda sends what JSON.stringify makes of the result; a handler that returns nothing answers null.
    return { kind: 'answered', json: JSON.stringify(result) ?? 'null' };
  } catch (error) {
    return { kind: 'function-error', ...errorReport(error) };
  }
}

async function loadHandler(): Promise<Loaded> {
  let exports: { handler?: unknown; default?: { handler?: unknown } };
  try {
    exports = await import(pathToFileURL(modulePath).href);
  } catch (error) {
    const { errorType, errorMessage } = errorReport(error);
    const kind = error instanceof SyntaxError ? 'Runtime.UserCodeSyntaxError' : 'Runtime.ImportModuleError';
    return { initFailure: `${kind}: ${errorType}: ${errorMessage}` };
  }
  // A CommonJS module's exports arrive as `default`; its `exports.handler` usually also as a named export.
  const handler = exports.handler ?? exports.default?.handler;
  if (typeof handler === 'function') return { handler: handler as Handler };
  return { initFailure: `Runtime.HandlerNotFound: ${basename(modulePath, extname(modulePath))}.handler is undefined or not exported` };
}

/**
 * The three ways a Lambda handler answers: the promise it returns; the callback, which (as in Lambda)
 * waits for the event loop to empty unless callbackWaitsForEmptyEventLoop is turned off; or
 * context.succeed / fail / done, which answer at once. A handler that returns no promise and never
 * calls back answers null once nothing is left to run, as Lambda does.
 */
function runHandler(handler: Handler, event: unknown, request: InvokeRequest): Promise<unknown> {
  return new Promise((resolve, reject) => {
    let calledBack = false;
    const settle: Callback = (error, result) => (error == null ? resolve(result) : reject(error));
    const callback: Callback = (error, result) => {
      calledBack = true;
      if (context.callbackWaitsForEmptyEventLoop) void eventLoopEmptied().then(() => settle(error, result));
      else settle(error, result);
    };
    const context = contextFor(request, { succeed: (result) => resolve(result), fail: (error) => reject(error), done: settle });
    const returned = handler(event, context, callback);
    if (isThenable(returned)) returned.then(resolve, reject);
    else void eventLoopEmptied().then(() => calledBack || resolve(null));
  });
}

function contextFor(request: InvokeRequest, answers: Pick<LambdaContext, 'succeed' | 'fail' | 'done'>): LambdaContext {
  const functionName = functionNameOf(request.arn);
  return {
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: request.arn,
    // A string, as the Node.js runtime has it (it comes from an environment variable there).
    memoryLimitInMB: '128',
    awsRequestId: request.requestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName,
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, request.deadline - Date.now()),
    ...answers,
  };
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return types.isPromise(value) || typeof (value as PromiseLike<unknown> | null)?.then === 'function';
}

/** Resolves once the handler has nothing pending (timers, sockets, files); the port to the main thread always stays. */
function eventLoopEmptied(): Promise<void> {
  return new Promise((resolve) => {
    const check = (): void => {
      if (process.getActiveResourcesInfo().every((resource) => resource === 'MessagePort')) resolve();
      // Unref'd, so the poll itself does not count as something pending.
      else setTimeout(check, 5).unref();
    };
    setTimeout(check, 0).unref();
  });
}
