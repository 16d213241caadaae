import { CognitoError } from '../domain/errors.js';

import type { RateLimitConfig } from '../config.js';

export type RateLimiter = (operation: string, input: Record<string, unknown>) => void;

interface Bucket {
  tokens: number;
  refilledAt: number;
}

/** Buckets idle this long are dropped, so one-off keys do not pile up. */
const IDLE_MS = 60_000;

/**
 * Token buckets per (operation, pool): a burst of one second's allowance, refilled continuously;
 * over the limit, Cognito's TooManyRequestsException. Budgets are per process: with several
 * workers or nodes each takes its `share` of the configured rate.
 */
export function rateLimiter(config: RateLimitConfig, now: () => number, share = 1): RateLimiter {
  const limited = config.perPoolPerOperation > 0 || Object.values(config.operations).some((rate) => rate > 0);
  if (!limited) return () => undefined;
  const buckets = new Map<string, Bucket>();
  let sweptAt = now();
  return (operation, input) => {
    const rate = (config.operations[operation] ?? config.perPoolPerOperation) * share;
    if (!(rate > 0)) return;
    const time = now();
    if (time - sweptAt > IDLE_MS) {
      for (const [key, bucket] of buckets) if (time - bucket.refilledAt > IDLE_MS) buckets.delete(key);
      sweptAt = time;
    }
    const key = `${operation}\0${scopeOf(input)}`;
    const bucket = buckets.get(key) ?? { tokens: rate, refilledAt: time };
    bucket.tokens = Math.min(rate, bucket.tokens + ((time - bucket.refilledAt) / 1000) * rate);
    bucket.refilledAt = time;
    buckets.set(key, bucket);
    if (bucket.tokens < 1) throw new CognitoError('TooManyRequestsException', 'Rate exceeded');
    bucket.tokens -= 1;
  };
}

/** The pool a request is for: named outright, or by its app client, or by its access token's issuer. */
function scopeOf(input: Record<string, unknown>): string {
  if (typeof input.UserPoolId === 'string') return input.UserPoolId;
  if (typeof input.ClientId === 'string') return `client:${input.ClientId}`;
  if (typeof input.AccessToken === 'string') return `token:${issuerOf(input.AccessToken)}`;
  return '-';
}

function issuerOf(token: string): string {
  try {
    const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { iss?: unknown };
    return typeof payload.iss === 'string' ? payload.iss.slice(-64) : '-';
  } catch {
    return '-';
  }
}
