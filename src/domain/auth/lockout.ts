import type { Clock } from '../../clock.js';
import type { Storage, UserRecord } from '../../storage/types.js';
import { notAuthorized } from '../errors.js';
import { INCORRECT_PASSWORD } from './sign-in.js';

const FREE_ATTEMPTS = 5;
const MAX_LOCKOUT_MS = 15 * 60_000;
const QUIET_RESET_MS = 15 * 60_000;

/** How long after the last failure the next attempt must wait, given the failures so far. */
const lockoutMs = (failures: number): number =>
  failures < FREE_ATTEMPTS ? 0 : Math.min(MAX_LOCKOUT_MS, 1000 * 2 ** (failures - FREE_ATTEMPTS));

/**
 * Cognito's lockout, shared by every way of proving a password: from the fifth failure in a row
 * the user waits 2^(n−5) seconds (at most 15 minutes) before the next try counts; attempts
 * meanwhile fail without a check and without extending the wait. Fifteen quiet minutes forgive.
 */
export class Lockout {
  constructor(
    private readonly storage: Storage,
    private readonly clock: Clock,
  ) {}

  assertNotLocked(user: UserRecord): void {
    if (user.lastFailedSignIn !== null && this.clock.now() - user.lastFailedSignIn < lockoutMs(user.failedSignIns)) {
      throw notAuthorized('Password attempts exceeded');
    }
  }

  /** Counts the failure and answers as Cognito answers a wrong password. */
  async fail(user: UserRecord): Promise<never> {
    await this.record(user);
    throw notAuthorized(INCORRECT_PASSWORD);
  }

  /** Counts a failure (a wrong password or a wrong MFA code). */
  async record(user: UserRecord): Promise<void> {
    await this.storage.users.recordFailedSignIn(user.poolId, user.sub, this.clock.now(), QUIET_RESET_MS);
  }

  async succeeded(user: UserRecord): Promise<void> {
    if (user.failedSignIns > 0) await this.storage.users.clearFailedSignIns(user.poolId, user.sub);
  }
}
