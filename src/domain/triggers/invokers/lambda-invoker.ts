import { InvokeCommand, LambdaClient, type InvokeCommandOutput } from '@aws-sdk/client-lambda';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import type { LambdaOptions } from '../../../config.js';
import type { FunctionInvoker, Invocation, InvocationResult } from '../invocation.js';
import { credentialsOrPlaceholder } from '../local-credentials.js';
import { regionOf } from './arn.js';
import { TIMED_OUT, functionError, networkErrorCode, parseAnswer } from './results.js';

/** The Invoke API's throttling answers (a concurrency limit reached): they pass, so another attempt may succeed. */
const THROTTLING = new Set(['TooManyRequestsException', 'ThrottlingException', 'EC2ThrottledException']);

/** A trigger run by the Lambda Invoke API: AWS Lambda in the ARN's region, or the emulator `endpoint` names. */
export class LambdaInvoker implements FunctionInvoker {
  private readonly clients = new Map<string, LambdaClient>();
  private readonly credentials: AwsCredentialIdentityProvider | undefined;

  constructor(private readonly options: Pick<LambdaOptions, 'endpoint'> = {}) {
    this.credentials = options.endpoint ? credentialsOrPlaceholder() : undefined;
  }

  async invoke(invocation: Invocation): Promise<InvocationResult> {
    const command = new InvokeCommand({
      FunctionName: invocation.arn,
      InvocationType: invocation.async ? 'Event' : 'RequestResponse',
      Payload: Buffer.from(JSON.stringify(invocation.event)),
    });
    const deadline = AbortSignal.timeout(invocation.deadlineMs);
    try {
      // The signal only reaches the HTTP handler; the race also bounds what comes before it (finding credentials).
      const output = await Promise.race([this.clientFor(invocation.arn).send(command, { abortSignal: deadline }), rejectedWhenAborted(deadline)]);
      return resultOf(output);
    } catch (error) {
      return deadline.aborted ? TIMED_OUT : failureOf(error);
    }
  }

  async close(): Promise<void> {
    for (const client of this.clients.values()) client.destroy();
    this.clients.clear();
  }

  private clientFor(arn: string): LambdaClient {
    const region = regionOf(arn);
    const key = region ?? '';
    let client = this.clients.get(key);
    if (!client) {
      // One attempt only: the trigger layer above decides about retries, the same way for every back end.
      client = new LambdaClient({ region, endpoint: this.options.endpoint, maxAttempts: 1, credentials: this.credentials });
      this.clients.set(key, client);
    }
    return client;
  }
}

function rejectedWhenAborted(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true }));
}

function resultOf(output: InvokeCommandOutput): InvocationResult {
  const text = output.Payload ? Buffer.from(output.Payload).toString('utf8') : '';
  if (output.FunctionError) return functionError(text, output.FunctionError);
  return { outcome: 'answered', payload: parseAnswer(text) };
}

/** Service errors carry `$fault`; anything else never reached Lambda (a refused connection, no region, no credentials). */
function failureOf(error: unknown): InvocationResult {
  const failure = error as Error & { $fault?: string; $metadata?: { httpStatusCode?: number } };
  if (failure.$fault) {
    const status = failure.$metadata?.httpStatusCode ?? 0;
    return { outcome: 'failed', reason: failure.name, retryable: THROTTLING.has(failure.name) || status === 429 || status >= 500 };
  }
  const code = networkErrorCode(error);
  // The SDK's HTTP handler also renames ECONNRESET and EPIPE to TimeoutError; their code tells them apart.
  if (failure.name === 'TimeoutError' && (!code || code === 'ETIMEDOUT')) return TIMED_OUT;
  if (code) return { outcome: 'failed', reason: code, retryable: true };
  return { outcome: 'failed', reason: `${failure.name}: ${failure.message}`, retryable: false };
}
