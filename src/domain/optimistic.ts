import { setTimeout as sleep } from 'node:timers/promises';
import { CognitoError } from './errors.js';

/** What an attempt answers when its write found the record changed since it was read. */
export const STALE = Symbol('stale');

/** Far more rounds than any real contention needs; the bound only stops a livelock. */
const MAX_ATTEMPTS = 40;

/**
 * Read, change, write — again on a fresh copy while the write loses to another. Stores refuse a
 * write made from a version that is no longer the stored one, so of two racing requests the
 * loser reapplies its own change on top of the winner's: both are kept, neither is undone.
 */
export async function retryStale<T>(attempt: () => Promise<T | typeof STALE>): Promise<T> {
  for (let round = 0; round < MAX_ATTEMPTS; round++) {
    const result = await attempt();
    if (result !== STALE) return result;
    // Spread the retries of many contenders, so they do not collide again in lockstep.
    await sleep(Math.random() * Math.min(2 ** round, 50));
  }
  throw new CognitoError('ConcurrentModificationException', 'The resource is being changed by too many requests at once; try again.');
}
