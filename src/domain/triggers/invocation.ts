/**
 * How a trigger's function is reached. Each back end (the Lambda Invoke API, an HTTP POST, a local
 * module) makes exactly one attempt; retries, deadlines and Cognito's error answers are decided
 * above them, in the same way for all three.
 */

export interface Invocation {
  /** The function as the pool's LambdaConfig names it (an ARN). */
  arn: string;
  /** The trigger event, sent as JSON. */
  event: unknown;
  /** Fire and forget (the Invoke API's `Event` type), as Cognito invokes the custom senders. */
  async: boolean;
  /** The attempt is abandoned (and a local module's worker killed) after this long. */
  deadlineMs: number;
}

export type InvocationResult =
  /** The function returned; `payload` is its answer, parsed (undefined for an async invocation). */
  | { outcome: 'answered'; payload: unknown }
  /** The function ran and threw (or called back with an error), as the Invoke API's X-Amz-Function-Error reports it. */
  | { outcome: 'function-error'; errorMessage: string; errorType: string }
  /**
   * The function could not be run or did not answer: a timeout, a refused connection, throttling,
   * missing permission. `reason` is what Cognito would name (e.g. "Socket timeout while invoking
   * Lambda function", "AccessDeniedException"); `retryable` marks timeouts, throttling and transient failures.
   */
  | { outcome: 'failed'; reason: string; retryable: boolean };

export interface FunctionInvoker {
  invoke(invocation: Invocation): Promise<InvocationResult>;
  /** Releases sockets and workers when the server stops. */
  close?(): Promise<void>;
}
