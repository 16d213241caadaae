import { setTimeout as sleep } from 'node:timers/promises';
import { CognitoError } from '../errors.js';
import type { PoolSettings } from '../pools/pool-settings.js';
import type { Caller } from './caller.js';
import type { FunctionInvoker, InvocationResult } from './invocation.js';
import { functionFor, type TriggerName } from './lambda-config.js';
import { isRecognizable } from './responses.js';

/** Cognito gives up on a function after three attempts that timed out or were throttled. */
const ATTEMPTS = 3;
const RETRY_PAUSE_MS = 100;

/** The pool a trigger runs for. */
export interface TriggerPool {
  id: string;
  settings: PoolSettings;
}

/** One event, less the envelope fields every event shares. */
export interface TriggerEvent {
  trigger: TriggerName;
  /** `triggerSource`, e.g. PreSignUp_SignUp. */
  source: string;
  userName: string;
  caller: Caller;
  request: Record<string, unknown>;
  response?: Record<string, unknown>;
  /** `"1"` except for pre token generation V2/V3. */
  version?: string;
}

/** What is recorded of every invocation: for the log and /metrics. */
export interface InvocationRecord {
  poolId: string;
  source: string;
  functionArn: string;
  milliseconds: number;
  /** `answered`, or the Cognito exception the invocation ended in. */
  outcome: string;
}

export interface TriggerOptions {
  /** The region in every event's envelope. */
  region: string;
  /** One attempt's deadline. */
  timeoutMs: number;
  onInvocation?: (record: InvocationRecord) => void;
}

/**
 * Runs the functions a pool's LambdaConfig names, as Cognito does: the event in Cognito's envelope,
 * a deadline per attempt, three attempts for timeouts and throttling, and Cognito's exceptions for
 * a function that throws, cannot be reached, or answers with something that is not the event.
 */
export class Triggers {
  constructor(
    private readonly invoker: FunctionInvoker,
    private readonly options: TriggerOptions,
  ) {}

  has(pool: TriggerPool, trigger: TriggerName): boolean {
    return functionFor(pool.settings.LambdaConfig, trigger) !== undefined;
  }

  /**
   * Runs the trigger and returns the `response` the function filled in; undefined when the pool
   * has no such trigger, so callers go on as Cognito does without one.
   */
  async run(pool: TriggerPool, event: TriggerEvent): Promise<Record<string, unknown> | undefined> {
    const arn = functionFor(pool.settings.LambdaConfig, event.trigger);
    if (!arn) return undefined;
    const payload = (await this.invoke(pool, arn, event, false)) as { response?: Record<string, unknown> };
    return payload.response ?? {};
  }

  /** The custom senders: invoked as an Event, so only a failure to hand the event over is an error. */
  async send(pool: TriggerPool, event: TriggerEvent): Promise<boolean> {
    const arn = functionFor(pool.settings.LambdaConfig, event.trigger);
    if (!arn) return false;
    await this.invoke(pool, arn, event, true);
    return true;
  }

  /** The function's answer, or the Cognito exception it ends in; either way recorded once. */
  private async invoke(pool: TriggerPool, arn: string, event: TriggerEvent, async: boolean): Promise<unknown> {
    const started = performance.now();
    let error: CognitoError | undefined;
    let payload: unknown;
    try {
      const result = await this.attempts(arn, this.envelope(pool, event), async);
      if (result.outcome !== 'answered') error = failure(event.trigger, result);
      else if (!async && !isRecognizable(event.trigger, event.version ?? '1', result.payload)) error = unrecognizable();
      else payload = result.payload;
    } finally {
      const outcome = error?.type ?? 'answered';
      this.options.onInvocation?.({ poolId: pool.id, source: event.source, functionArn: arn, milliseconds: performance.now() - started, outcome });
    }
    if (error) throw error;
    return payload;
  }

  private async attempts(arn: string, event: Record<string, unknown>, async: boolean): Promise<InvocationResult> {
    let result: InvocationResult | undefined;
    for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
      if (attempt > 1) await sleep(RETRY_PAUSE_MS * (attempt - 1));
      result = await this.invoker
        .invoke({ arn, event, async, deadlineMs: this.options.timeoutMs })
        .catch((error: unknown): InvocationResult => ({ outcome: 'failed', reason: (error as Error).message ?? String(error), retryable: false }));
      if (result.outcome !== 'failed' || !result.retryable) break;
    }
    return result!;
  }

  private envelope(pool: TriggerPool, event: TriggerEvent): Record<string, unknown> {
    return {
      version: event.version ?? '1',
      triggerSource: event.source,
      region: this.options.region,
      userPoolId: pool.id,
      userName: event.userName,
      callerContext: { awsSdkVersion: event.caller.awsSdkVersion, clientId: event.caller.clientId ?? 'CLIENT_ID_NOT_APPLICABLE' },
      request: event.request,
      response: event.response ?? {},
    };
  }
}

function failure(trigger: TriggerName, result: Exclude<InvocationResult, { outcome: 'answered' }>): CognitoError {
  if (result.outcome === 'function-error') return new CognitoError('UserLambdaValidationException', `${trigger} failed with error ${result.errorMessage}.`);
  return new CognitoError('UnexpectedLambdaException', `${trigger} invocation failed due to error ${result.reason}.`);
}

const unrecognizable = () => new CognitoError('InvalidLambdaResponseException', 'Unrecognizable lambda output');
