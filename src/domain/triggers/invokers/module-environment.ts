import { Worker } from 'node:worker_threads';
import type { InvocationResult } from '../invocation.js';
import type { InvokeRequest, WorkerMessage, WorkerReply } from './module-protocol.js';
import { TIMED_OUT, errorReport, parseAnswer } from './results.js';

const WORKER_ENTRY = new URL('./module-worker.js', import.meta.url);

/**
 * One Lambda execution environment: a worker thread that runs one invocation at a time and stays
 * warm for the next, until it is killed at a deadline, crashes, or its module fails to load.
 */
export class ExecutionEnvironment {
  private readonly worker: Worker;
  /** Hands a result to the invocation in flight, if any. */
  private settle: ((result: InvocationResult) => void) | undefined;
  private gone = false;
  /** Set once the worker's entry has run; before that an error is the thread's own (bad execArgv, no memory), not the handler's. */
  private started = false;

  constructor(modulePath: string) {
    this.worker = new Worker(WORKER_ENTRY, { workerData: { modulePath } });
    // An idle environment must not keep Gatehouse's process alive.
    this.worker.unref();
    this.worker.on('message', (message: WorkerMessage) => (message.kind === 'ready' ? (this.started = true) : this.answer(message)));
    // Listened to at all times: an unhandled 'error' (a stray timer throwing between invocations) would crash the server.
    this.worker.on('error', (error: unknown) => this.died(this.started ? { outcome: 'function-error', ...errorReport(error) } : startFailure(error)));
    this.worker.on('exit', (code: number) => this.died(exitError(code)));
  }

  /** False once the worker is gone; such an environment is not handed another invocation. */
  get alive(): boolean {
    return !this.gone;
  }

  run(request: InvokeRequest, timeoutMs: number): Promise<InvocationResult> {
    this.worker.ref();
    return new Promise((resolve) => {
      // The handler may be stuck in a loop; only terminating the thread stops it.
      const timer = setTimeout(() => this.kill(TIMED_OUT), timeoutMs);
      this.settle = (result) => {
        clearTimeout(timer);
        this.settle = undefined;
        if (!this.gone) this.worker.unref();
        resolve(result);
      };
      this.worker.postMessage(request);
    });
  }

  /** Ends the worker; the invocation in flight, if any, gets `result` rather than the exit's. */
  kill(result?: InvocationResult): void {
    this.gone = true;
    void this.worker.terminate();
    if (result) this.settle?.(result);
  }

  private answer(reply: WorkerReply): void {
    if (reply.kind === 'init-failed') {
      // Node caches a failed import: only a fresh worker tries the (perhaps fixed) module again, as Lambda starts a fresh environment.
      this.kill({ outcome: 'failed', reason: reply.reason, retryable: false });
    } else if (reply.kind === 'function-error') {
      this.settle?.({ outcome: 'function-error', errorMessage: reply.errorMessage, errorType: reply.errorType });
    } else {
      this.settle?.({ outcome: 'answered', payload: parseAnswer(reply.json) });
    }
  }

  private died(result: InvocationResult): void {
    this.gone = true;
    this.settle?.(result);
  }
}

function startFailure(error: unknown): InvocationResult {
  const { errorType, errorMessage } = errorReport(error);
  return { outcome: 'failed', reason: `Runtime.Unknown: ${errorType}: ${errorMessage}`, retryable: false };
}

/** What Lambda answers when the handler ends the process (process.exit) in the middle of an invocation. */
function exitError(code: number): InvocationResult {
  return { outcome: 'function-error', errorMessage: `Runtime exited with error: exit status ${code}`, errorType: 'Runtime.ExitError' };
}
