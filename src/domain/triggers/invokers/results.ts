import type { InvocationResult } from '../invocation.js';

/** What Cognito reports when a trigger does not answer in time; another attempt may go better. */
export const TIMED_OUT: InvocationResult = { outcome: 'failed', reason: 'Socket timeout while invoking Lambda function', retryable: true };

/**
 * A function's answer as it was sent: parsed when it is JSON, else the raw text (undefined when empty),
 * so the caller can call it "Unrecognizable lambda output" rather than this layer guessing.
 */
export function parseAnswer(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** The `{errorMessage, errorType}` document the Lambda runtime sends for a thrown error; any other text becomes the message itself. */
export function functionError(text: string, defaultType: string): InvocationResult {
  const answer = parseAnswer(text) as { errorMessage?: unknown; errorType?: unknown } | undefined;
  const errorMessage = typeof answer?.errorMessage === 'string' ? answer.errorMessage : text;
  const errorType = typeof answer?.errorType === 'string' ? answer.errorType : defaultType;
  return { outcome: 'function-error', errorMessage, errorType };
}

/** The network error's code (ECONNREFUSED, ENOTFOUND…), which says more than the wrapper's message ("fetch failed"). */
export function networkErrorCode(error: unknown): string | undefined {
  const failure = error as { code?: unknown; cause?: { code?: unknown } } | undefined;
  const code = failure?.code ?? failure?.cause?.code;
  return typeof code === 'string' ? code : undefined;
}

/** How the Lambda runtime reports what a handler threw: an Error by its name and message, anything else by its type and text. */
export function errorReport(error: unknown): { errorMessage: string; errorType: string } {
  if (error instanceof Error || isErrorLike(error)) return { errorMessage: error.message, errorType: error.name };
  return { errorMessage: String(error), errorType: typeof error };
}

/** An Error from another realm (a worker's, cloned across) fails `instanceof` but keeps its name and message. */
function isErrorLike(value: unknown): value is Error {
  const candidate = value as Error | null;
  return typeof candidate === 'object' && candidate !== null && typeof candidate.name === 'string' && typeof candidate.message === 'string';
}
