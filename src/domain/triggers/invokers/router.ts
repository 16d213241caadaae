import type { GatehouseConfig, LambdaOptions, TriggerRoute } from '../../../config.js';
import type { FunctionInvoker, Invocation, InvocationResult } from '../invocation.js';
import { HttpInvoker } from './http-invoker.js';
import { LambdaInvoker } from './lambda-invoker.js';
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
  private lambda: LambdaInvoker | undefined;

  constructor(private readonly options: RouterOptions) {
    this.routes = Object.entries(options.triggers).map(([glob, target]) => ({ pattern: globPattern(glob), target }));
  }

  invoke(invocation: Invocation): Promise<InvocationResult> {
    return this.invokerFor(invocation.arn).invoke(invocation);
  }

  async close(): Promise<void> {
    const invokers = [this.lambda, ...this.routes.map((route) => route.invoker)];
    await Promise.all(invokers.map((invoker) => invoker?.close?.()));
  }

  private invokerFor(arn: string): FunctionInvoker {
    const route = this.routes.find((candidate) => candidate.pattern.test(arn));
    if (!route) return (this.lambda ??= new LambdaInvoker(this.options.lambda));
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
