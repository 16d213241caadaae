import type { GatehouseConfig, LambdaOptions, TriggerRoute } from '../../../config.js';
import type { FunctionInvoker, Invocation, InvocationResult } from '../invocation.js';
import { HttpInvoker } from './http-invoker.js';
import type { LambdaInvoker } from './lambda-invoker.js';
import { ModuleInvoker } from './module-invoker.js';

export interface RouterOptions {
  lambda: LambdaOptions;
  /** ARN or glob → back end; the first match wins, the Invoke API takes the rest. */
  triggers: Record<string, TriggerRoute>;
}

interface Route {
  pattern: RegExp;
  target: TriggerRoute;
  /** Made on first use, so a route no pool names starts no workers. */
  invoker?: FunctionInvoker;
}

/** Sends each function to the back end the `triggers` config names for its ARN, or else to the Lambda Invoke API. */
export class TriggerRouter implements FunctionInvoker {
  private readonly routes: Route[];
  /** Loaded on first use: the Lambda SDK adds a tenth of a second to every start, and most servers never call it. */
  private lambda: Promise<LambdaInvoker> | undefined;

  constructor(private readonly options: RouterOptions) {
    this.routes = Object.entries(options.triggers).map(([glob, target]) => ({ pattern: globPattern(glob), target }));
  }

  async invoke(invocation: Invocation): Promise<InvocationResult> {
    return (await this.invokerFor(invocation.arn)).invoke(invocation);
  }

  async close(): Promise<void> {
    const invokers = [await this.lambda, ...this.routes.map((route) => route.invoker)];
    await Promise.all(invokers.map((invoker) => invoker?.close?.()));
  }

  private async invokerFor(arn: string): Promise<FunctionInvoker> {
    const route = this.routes.find((candidate) => candidate.pattern.test(arn));
    if (!route) return (this.lambda ??= import('./lambda-invoker.js').then(({ LambdaInvoker }) => new LambdaInvoker(this.options.lambda)));
    return (route.invoker ??= invokerForRoute(route.target));
  }
}

export function createInvoker(config: Pick<GatehouseConfig, 'lambda' | 'triggers'>): FunctionInvoker {
  return new TriggerRouter({ lambda: config.lambda, triggers: config.triggers });
}

function invokerForRoute(target: TriggerRoute): FunctionInvoker {
  return 'module' in target ? new ModuleInvoker(target.module) : new HttpInvoker(target);
}

/** `*` is any run of characters (colons included, so `*:function:dev-*` works), `?` one character; the rest is literal. */
export function globPattern(glob: string): RegExp {
  const source = [...glob].map((char) => (char === '*' ? '.*' : char === '?' ? '.' : char.replace(/[\\^$.|+()[\]{}]/, '\\$&'))).join('');
  return new RegExp(`^${source}$`, 's');
}
