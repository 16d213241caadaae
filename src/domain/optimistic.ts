import { setTimeout as sleep } from 'node:timers/promises';
import { CognitoError } from './errors.js';

/** Far more rounds than any real contention needs; the bound only stops a livelock. */
const MAX_ATTEMPTS = 40;

/**
 * Runs `attempt` until its write lands: an attempt answers false when it lost a race (the record
 * changed since it was read), and runs again on fresh data, after a short random pause.
 */
export async function untilWritten(attempt: (round: number) => Promise<boolean>): Promise<void> {
  for (let round = 0; round < MAX_ATTEMPTS; round++) {
    if (await attempt(round)) return;
    // Spread the retries of many contenders, so they do not collide again in lockstep.
    await sleep(Math.random() * Math.min(2 ** round, 50));
  }
  throw new CognitoError('ConcurrentModificationException', 'The resource is being changed by too many requests at once; try again.');
}

/**
 * Read, change, write a record that counts its writes. Stores refuse a write made from a version
 * that is no longer the stored one, so of two racing requests the loser reapplies its own change
 * on top of the winner's: both are kept, neither is undone. `change` may run more than once, so it
 * must only compute; undefined means nothing to write. The record as written is returned.
 */
export async function updateVersioned<T extends { version: number }>(
  read: (round: number) => Promise<T>,
  change: (current: T) => T | undefined,
  write: (next: T) => Promise<boolean>,
): Promise<T> {
  let result!: T;
  await untilWritten(async (round) => {
    const current = await read(round);
    const next = change(current);
    if (next === undefined) {
      result = current;
      return true;
    }
    if (!(await write({ ...next, version: current.version }))) return false;
    result = { ...next, version: current.version + 1 };
    return true;
  });
  return result;
}
