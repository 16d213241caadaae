import { CognitoError } from '../domain/errors.js';
import type { AppClients } from '../domain/clients/app-clients.js';
import { categoryOf, CHALLENGE_ALLOWANCE, isChallengeAnswer } from '../domain/limits/api-categories.js';
import type { ProvisionedLimits } from '../domain/limits/provisioned-limits.js';
import type { RateLimitConfig } from '../config.js';
import { unverifiedPoolOf, type Tokens } from '../domain/tokens/tokens.js';

/** Throws TooManyRequestsException when the call is over a limit. */
export type RateLimiter = (operation: string, input: Record<string, unknown>) => void | Promise<void>;

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
export function rateLimiter(config: RateLimitConfig, tokens: SignedTokens, now: () => number, share = 1): RateLimiter {
  const limited = config.perPoolPerOperation > 0 || Object.values(config.operations).some((rate) => rate > 0);
  if (!limited) return () => undefined;
  const take = tokenBuckets(now);
  return async (operation, input) => {
    const rate = (config.operations[operation] ?? config.perPoolPerOperation) * share;
    if (rate > 0 && !take(`${operation}\0${await scopeOf(input, tokens)}`, rate)) throw tooManyRequests();
  };
}

/** Which pool signed an access token (undefined: none did, or it expired). */
type SignedTokens = Pick<Tokens, 'poolOfSignedToken'>;

/**
 * Cognito's quota categories per pool: the operations of a category share one budget, the rate
 * UpdateProvisionedLimit set for the pool (or the configured default). Challenge answers first
 * spend their own allowance of three times that rate, as at Cognito, then the category's.
 */
export function categoryLimiter(limits: ProvisionedLimits, clients: AppClients, tokens: SignedTokens, now: () => number, share = 1): RateLimiter {
  const take = tokenBuckets(now);
  const poolOf = poolOfCall(clients);
  return async (operation, input) => {
    const category = categoryOf(operation);
    if (category === undefined) return;
    const poolId = await poolOf(input);
    const rate = (await limits.rate(poolId, category)) * share;
    if (!(rate > 0)) return;
    // Only a token the pool signed spends the pool's budget: a forged one must not throttle another
    // pool's users (the operation refuses it anyway). Checked only here, where a limit applies.
    if (typeof input.UserPoolId !== 'string' && typeof input.AccessToken === 'string' && (await tokens.poolOfSignedToken(input.AccessToken)) !== poolId) return;
    const key = `${category}\0${poolId ?? '-'}`;
    if (isChallengeAnswer(operation) && take(`${key}\0challenges`, rate * CHALLENGE_ALLOWANCE)) return;
    if (!take(key, rate)) throw tooManyRequests();
  };
}

/** Both limiters, the configured per-operation one first. */
export const combinedLimiter =
  (...limiters: RateLimiter[]): RateLimiter =>
  async (operation, input) => {
    for (const limit of limiters) await limit(operation, input);
  };

const tooManyRequests = () => new CognitoError('TooManyRequestsException', 'Rate exceeded');

/**
 * Token buckets by key: a burst of one second's allowance (one request at least, so a worker's share
 * of a small rate still lets requests through at that rate), refilled continuously. `take` spends
 * one token if there is one.
 */
function tokenBuckets(now: () => number): (key: string, rate: number) => boolean {
  const buckets = new Map<string, Bucket>();
  let sweptAt = now();
  return (key, rate) => {
    const time = now();
    if (time - sweptAt > IDLE_MS) {
      for (const [idle, bucket] of buckets) if (time - bucket.refilledAt > IDLE_MS) buckets.delete(idle);
      sweptAt = time;
    }
    const burst = Math.max(1, rate);
    const bucket = buckets.get(key) ?? { tokens: burst, refilledAt: time };
    bucket.tokens = Math.min(burst, bucket.tokens + ((time - bucket.refilledAt) / 1000) * rate);
    bucket.refilledAt = time;
    buckets.set(key, bucket);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  };
}

/** Clients never change pools, so each is looked up once; this many are remembered at most. */
const REMEMBERED_CLIENTS = 10_000;

/**
 * The pool a call is for, as far as it tells before it runs: named, or its app client's, or the
 * issuer's of its access token (unverified: the operation verifies it). Undefined for calls that
 * name none (ListUserPools, CreateUserPool) or name a client that does not exist.
 */
function poolOfCall(clients: AppClients): (input: Record<string, unknown>) => Promise<string | undefined> {
  const poolOfClient = new Map<string, string>();
  return async (input) => {
    if (typeof input.UserPoolId === 'string') return input.UserPoolId;
    if (typeof input.AccessToken === 'string') return unverifiedPoolOf(input.AccessToken);
    if (typeof input.ClientId !== 'string') return undefined;
    const known = poolOfClient.get(input.ClientId);
    if (known !== undefined) return known;
    const client = await clients.forCall(input.ClientId).catch(() => undefined);
    if (!client) return undefined;
    if (poolOfClient.size >= REMEMBERED_CLIENTS) poolOfClient.clear();
    poolOfClient.set(client.clientId, client.poolId);
    return client.poolId;
  };
}

/**
 * The pool a request is for: named outright, or by its app client, or by the pool that signed its
 * access token; tokens no pool signed share one budget, so forging a pool's issuer spends none of it.
 */
async function scopeOf(input: Record<string, unknown>, tokens: SignedTokens): Promise<string> {
  if (typeof input.UserPoolId === 'string') return input.UserPoolId;
  if (typeof input.ClientId === 'string') return `client:${input.ClientId}`;
  if (typeof input.AccessToken === 'string') return (await tokens.poolOfSignedToken(input.AccessToken)) ?? 'token:unsigned';
  return '-';
}

