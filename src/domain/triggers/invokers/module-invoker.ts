import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import type { FunctionInvoker, Invocation, InvocationResult } from '../invocation.js';
import { ExecutionEnvironment } from './module-environment.js';
import { TIMED_OUT } from './results.js';

const CLOSED: InvocationResult = { outcome: 'failed', reason: 'Gatehouse is shutting down', retryable: false };

/**
 * A trigger run from a local JavaScript module (ESM or CommonJS) exporting `handler`, in worker threads
 * that behave like Lambda's execution environments: each runs one invocation at a time and stays warm,
 * more are started as concurrent invocations need them (up to a cap, beyond which invocations wait),
 * and one still running at the deadline is terminated.
 */
export class ModuleInvoker implements FunctionInvoker {
  private readonly modulePath: string;
  private readonly environments = new Set<ExecutionEnvironment>();
  private readonly idle: ExecutionEnvironment[] = [];
  private readonly waiting: ((environment: ExecutionEnvironment | undefined) => void)[] = [];
  private closed = false;

  constructor(module: string, private readonly maxEnvironments = 8) {
    this.modulePath = resolve(process.cwd(), module);
  }

  async invoke(invocation: Invocation): Promise<InvocationResult> {
    const running = this.run(invocation);
    if (!invocation.async) return running;
    // An Event invocation is accepted at once and its result dropped, as Lambda does.
    running.catch(() => undefined);
    return { outcome: 'answered', payload: undefined };
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const giveUp of this.waiting.splice(0)) giveUp(undefined);
    for (const environment of this.environments) environment.kill(CLOSED);
    this.environments.clear();
    this.idle.length = 0;
  }

  private async run(invocation: Invocation): Promise<InvocationResult> {
    // Waiting for a free environment counts against the deadline, which bounds the whole attempt.
    const deadline = Date.now() + invocation.deadlineMs;
    const environment = await this.acquire(AbortSignal.timeout(invocation.deadlineMs));
    if (!environment) return this.closed ? CLOSED : TIMED_OUT;
    const request = { arn: invocation.arn, eventJson: JSON.stringify(invocation.event) ?? 'null', requestId: randomUUID(), deadline };
    try {
      return await environment.run(request, deadline - Date.now());
    } finally {
      this.release(environment);
    }
  }

  /** A warm environment, a new one while under the cap, or the next one released (undefined when the deadline passes first). */
  private acquire(deadline: AbortSignal): Promise<ExecutionEnvironment | undefined> {
    if (this.closed) return Promise.resolve(undefined);
    const ready = this.takeIdle() ?? (this.environments.size < this.maxEnvironments ? this.start() : undefined);
    if (ready) return Promise.resolve(ready);
    return new Promise((resolve) => {
      const giveUp = (): void => {
        this.waiting.splice(this.waiting.indexOf(handOver), 1);
        resolve(undefined);
      };
      const handOver = (environment: ExecutionEnvironment | undefined): void => {
        deadline.removeEventListener('abort', giveUp);
        resolve(environment);
      };
      deadline.addEventListener('abort', giveUp, { once: true });
      this.waiting.push(handOver);
    });
  }

  private release(environment: ExecutionEnvironment): void {
    if (this.closed) return;
    if (!environment.alive) this.environments.delete(environment);
    const next = this.waiting.shift();
    if (next) next(environment.alive ? environment : this.start());
    else if (environment.alive) this.idle.push(environment);
  }

  /** The most recently used environment first, as Lambda tends to reuse the warmest. */
  private takeIdle(): ExecutionEnvironment | undefined {
    for (let environment = this.idle.pop(); environment; environment = this.idle.pop()) {
      if (environment.alive) return environment;
      // It crashed while idle (a stray timer throwing).
      this.environments.delete(environment);
    }
    return undefined;
  }

  private start(): ExecutionEnvironment {
    const environment = new ExecutionEnvironment(this.modulePath);
    this.environments.add(environment);
    return environment;
  }
}
