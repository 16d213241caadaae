import { createHmac, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { MessageDelivery, OutgoingMessage } from './delivery.js';

export interface WebhookOptions {
  url: string;
  /** Without a secret the requests carry no signature. */
  secret?: string;
  /** Further tries after a retryable failure; 2 means three tries in all. */
  retries?: number;
  timeoutMs?: number;
  /** The wait before the first retry; each later wait is twice the one before. */
  backoffMs?: number;
}

/** The signature a receiver recomputes: the timestamp is signed too, so a captured request cannot be replayed later under a fresh one. */
export const webhookSignature = (secret: string, timestamp: string, body: string): string =>
  `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;

/** One failed try, and whether another could go better. */
interface Failure {
  reason: string;
  retryable: boolean;
}

/**
 * Each message as a JSON POST to a team's own endpoint, which sends the email or SMS however it likes.
 */
export class WebhookDelivery implements MessageDelivery {
  private readonly poster: WebhookPoster;

  constructor(options: WebhookOptions) {
    this.poster = new WebhookPoster(options);
  }

  async deliver(message: OutgoingMessage): Promise<void> {
    const { userPoolId, username, sub, channel, destination, code, trigger } = message;
    // Fields named one by one, so whatever else an OutgoingMessage may carry later is not sent by accident.
    await this.poster.post(JSON.stringify({ userPoolId, username, sub, channel, destination, code, message: message.message, subject: message.subject, trigger }), 'application/json');
  }
}

/**
 * POSTs a body to an endpoint, signed when there is a secret. Network errors, timeouts, 5xx and 429
 * are retried with doubling waits; other answers are final. Throws once no try went through.
 */
export class WebhookPoster {
  private readonly retries: number;
  private readonly timeoutMs: number;
  private readonly backoffMs: number;

  constructor(private readonly options: WebhookOptions) {
    this.retries = options.retries ?? 2;
    this.timeoutMs = options.timeoutMs ?? 5000;
    this.backoffMs = options.backoffMs ?? 200;
  }

  async post(body: string, contentType: string): Promise<void> {
    // The same id on every try of one body, so a receiver can drop a repeat after a lost answer.
    const deliveryId = randomUUID();
    const tries = this.retries + 1;
    let failure: Failure | undefined;
    for (let attempt = 1; attempt <= tries; attempt++) {
      if (attempt > 1) await sleep(this.backoffMs * 2 ** (attempt - 2));
      failure = await this.once(body, contentType, deliveryId);
      if (!failure) return;
      if (!failure.retryable) break;
    }
    const attempts = failure!.retryable ? `after ${tries} ${tries === 1 ? 'try' : 'tries'}` : '(not retried)';
    throw new Error(`webhook delivery to ${this.options.url} failed ${attempts}: ${failure!.reason}`);
  }

  private async once(body: string, contentType: string, deliveryId: string): Promise<Failure | undefined> {
    // A fresh timestamp per try, so a receiver with a replay window still accepts a late retry.
    const timestamp = String(Math.floor(Date.now() / 1000));
    const headers: Record<string, string> = {
      'content-type': contentType,
      'x-gatehouse-timestamp': timestamp,
      'x-gatehouse-delivery': deliveryId,
    };
    if (this.options.secret) headers['x-gatehouse-signature'] = webhookSignature(this.options.secret, timestamp, body);
    let response: Response;
    try {
      // redirect: manual, because fetch would turn a redirected POST into a GET without the body.
      response = await fetch(this.options.url, { method: 'POST', headers, body, redirect: 'manual', signal: AbortSignal.timeout(this.timeoutMs) });
    } catch (error) {
      return { reason: describeFetchError(error, this.timeoutMs), retryable: true };
    }
    const answer = await response.text().catch(() => '');
    if (response.ok) return undefined;
    const excerpt = answer.trim().slice(0, 200);
    return {
      reason: `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}${excerpt ? `: ${excerpt}` : ''}`,
      retryable: response.status >= 500 || response.status === 429,
    };
  }
}

/** fetch says only "fetch failed"; the useful part (ECONNREFUSED, a DNS failure) is in its cause. */
function describeFetchError(error: unknown, timeoutMs: number): string {
  const failure = error as Error & { cause?: Error & { code?: string } };
  if (failure.name === 'TimeoutError' || failure.name === 'AbortError') return `no answer within ${timeoutMs} ms`;
  const cause = failure.cause;
  if (cause?.message) return cause.code && !cause.message.includes(cause.code) ? `${cause.code}: ${cause.message}` : cause.message;
  return failure.message ?? String(error);
}
