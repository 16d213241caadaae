import { webhookSignature } from '../../messages/webhook-delivery.js';
import type { FunctionInvoker, Invocation, InvocationResult } from '../invocation.js';
import { TIMED_OUT, functionError, networkErrorCode, parseAnswer } from './results.js';

export interface HttpRoute {
  url: string;
  /** Signs each request the way webhook deliveries are signed (x-gatehouse-signature). */
  secret?: string;
}

/**
 * A trigger answered by a team's own HTTP endpoint: the event as a JSON POST, the answer as the body.
 * A 2xx body is the function's answer; a non-2xx `{errorMessage, errorType}` body is the function
 * throwing; any other non-2xx answer means the function could not be run.
 */
export class HttpInvoker implements FunctionInvoker {
  constructor(private readonly route: HttpRoute) {}

  async invoke(invocation: Invocation): Promise<InvocationResult> {
    const body = JSON.stringify(invocation.event);
    const signal = AbortSignal.timeout(invocation.deadlineMs);
    try {
      // redirect: manual, because fetch would turn a redirected POST into a GET without the event.
      const response = await fetch(this.route.url, { method: 'POST', headers: this.headers(invocation, body), body, redirect: 'manual', signal });
      const text = await response.text();
      return resultOf(response.status, text, invocation.async);
    } catch (error) {
      if (signal.aborted) return TIMED_OUT;
      const code = networkErrorCode(error);
      // Without a network error code it is the URL itself that is wrong: trying again changes nothing.
      return { outcome: 'failed', reason: code ?? String(error), retryable: code !== undefined };
    }
  }

  private headers(invocation: Invocation, body: string): Record<string, string> {
    // A fresh timestamp per attempt, so a receiver with a replay window still accepts a late retry.
    const timestamp = String(Math.floor(Date.now() / 1000));
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'x-gatehouse-timestamp': timestamp,
      'x-gatehouse-function': invocation.arn,
      'x-gatehouse-invocation-type': invocation.async ? 'Event' : 'RequestResponse',
    };
    if (this.route.secret) headers['x-gatehouse-signature'] = webhookSignature(this.route.secret, timestamp, body);
    return headers;
  }
}

function resultOf(status: number, text: string, async: boolean): InvocationResult {
  if (status >= 200 && status < 300) return { outcome: 'answered', payload: async ? undefined : parseAnswer(text) };
  if (reportsFunctionError(text)) return functionError(text, 'Error');
  const excerpt = text.trim().slice(0, 200);
  return { outcome: 'failed', reason: `HTTP ${status}${excerpt ? `: ${excerpt}` : ''}`, retryable: status >= 500 || status === 429 };
}

function reportsFunctionError(text: string): boolean {
  const answer = parseAnswer(text) as { errorMessage?: unknown } | undefined;
  return typeof answer === 'object' && answer !== null && typeof answer.errorMessage === 'string';
}
