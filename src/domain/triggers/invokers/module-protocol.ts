/** The messages between a ModuleInvoker and its workers (module-worker.ts). */

export interface InvokeRequest {
  arn: string;
  /** The event as Lambda would hand it over: JSON, so a handler sees no Dates, Maps or undefined the caller kept. */
  eventJson: string;
  requestId: string;
  /** Epoch milliseconds, for context.getRemainingTimeInMillis(). */
  deadline: number;
}

export type WorkerReply =
  | { kind: 'answered'; json: string }
  | { kind: 'function-error'; errorMessage: string; errorType: string }
  /** The module did not load or exports no handler: the worker is of no further use. */
  | { kind: 'init-failed'; reason: string };

/** `ready` comes once, when the worker's own code is running: an error before it is no handler's. */
export type WorkerMessage = WorkerReply | { kind: 'ready' };
