import type { Clock } from '../../clock.js';
import type { SignInFailures, Storage, UserRecord } from '../../storage/types.js';
import { notAuthorized } from '../errors.js';
import { userNotFound } from '../users/users.js';
import { INCORRECT_PASSWORD } from './sign-in.js';

const FREE_ATTEMPTS = 5;
const MAX_LOCKOUT_MS = 15 * 60_000;
const QUIET_RESET_MS = 15 * 60_000;

/** How long after the last failure the next attempt must wait, given the failures so far. */
const lockoutMs = (failures: number): number =>
  failures < FREE_ATTEMPTS ? 0 : Math.min(MAX_LOCKOUT_MS, 1000 * 2 ** (failures - FREE_ATTEMPTS));

const isLocked = ({ count, lastAt }: SignInFailures, now: number): boolean => lastAt !== null && now - lastAt < lockoutMs(count);

/**
 * Cognito's lockout, shared by every way of proving a password or a second factor: from the fifth
 * failure in a row the user waits 2^(n−5) seconds (at most 15 minutes) before the next try counts;
 * attempts meanwhile fail without a check and without extending the wait. Fifteen quiet minutes forgive.
 *
 * Each attempt is counted as a failure before its check runs, with a compare-and-set on the stored
 * count, and given back if the check succeeds: so however many attempts arrive at once, on any
 * number of nodes, no more are checked than the lockout allows.
 */
export class Lockout {
  constructor(
    private readonly storage: Storage,
    private readonly clock: Clock,
  ) {}

  /**
   * Runs `check` as one attempt, refused with "Password attempts exceeded" while the user is
   * locked out. Whether it passed; a failed check stays counted.
   */
  async attempt(user: UserRecord, check: () => Promise<boolean> | boolean): Promise<boolean> {
    const reservation = await this.reserve(user);
    let passed = false;
    try {
      passed = await check();
    } finally {
      if (passed) await this.giveBack(user, reservation);
    }
    return passed;
  }

  /** A password (or its SRP proof), answered as Cognito answers a wrong one. */
  async password(user: UserRecord, check: () => Promise<boolean> | boolean): Promise<void> {
    if (!(await this.attempt(user, check))) throw notAuthorized(INCORRECT_PASSWORD);
  }

  /** A whole sign-in succeeded: every failure is forgiven. */
  async succeeded(user: UserRecord): Promise<void> {
    await this.swap(user, () => ({ count: 0, lastAt: null }));
  }

  /** Counts one attempt as failed, unless the user is locked out; what was stored before and after. */
  private reserve(user: UserRecord): Promise<{ before: SignInFailures; after: SignInFailures }> {
    return this.swap(user, (current, now) => {
      if (isLocked(current, now)) throw notAuthorized('Password attempts exceeded');
      const forgiven = current.lastAt === null || now - current.lastAt >= QUIET_RESET_MS;
      return { count: forgiven ? 1 : current.count + 1, lastAt: now };
    });
  }

  /** A right answer: back to what was stored before, unless another attempt counted since; then one failure fewer. */
  private async giveBack(user: UserRecord, { before, after }: { before: SignInFailures; after: SignInFailures }): Promise<void> {
    if (await this.storage.users.swapSignInFailures(user.poolId, user.sub, after, before)) return;
    await this.swap(user, (current) => ({ count: Math.max(0, current.count - 1), lastAt: current.lastAt }));
  }

  /** Replaces the stored failures with `next` of them, again on a fresh read while another attempt changes them first. */
  private async swap(user: UserRecord, next: (current: SignInFailures, now: number) => SignInFailures): Promise<{ before: SignInFailures; after: SignInFailures }> {
    let current: SignInFailures = { count: user.failedSignIns, lastAt: user.lastFailedSignIn };
    for (;;) {
      const after = next(current, this.clock.now());
      if (after.count === current.count && after.lastAt === current.lastAt) return { before: current, after };
      if (await this.storage.users.swapSignInFailures(user.poolId, user.sub, current, after)) return { before: current, after };
      const fresh = await this.storage.users.getSignInFailures(user.poolId, user.sub);
      if (!fresh) throw userNotFound();
      current = fresh;
    }
  }
}
