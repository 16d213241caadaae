import { setTimeout as sleep } from 'node:timers/promises';
import type { Clock } from '../../clock.js';
import type { SignInAttempts, Storage, UserRecord } from '../../storage/types.js';
import { notAuthorized } from '../errors.js';
import { userNotFound } from '../users/users.js';
import { INCORRECT_PASSWORD } from './sign-in.js';

const FREE_ATTEMPTS = 5;
const MAX_LOCKOUT_MS = 15 * 60_000;
const QUIET_RESET_MS = 15 * 60_000;
/** An attempt still marked in flight this long after the last one began died with its process. */
const ABANDONED_MS = 30_000;
/**
 * How often a waiting attempt looks whether those ahead of it (on any node) were decided, and how
 * many times before it gives up (5 s). One decided in this process wakes it at once.
 */
const POLL_MS = 25;
const MAX_POLLS = 5_000 / POLL_MS;

/** How long after the last failure the next attempt must wait, given the failures so far. */
const lockoutMs = (failures: number): number =>
  failures < FREE_ATTEMPTS ? 0 : Math.min(MAX_LOCKOUT_MS, 1000 * 2 ** (failures - FREE_ATTEMPTS));

const passwordAttemptsExceeded = () => notAuthorized('Password attempts exceeded');

export type Decision = { begin: SignInAttempts } | 'locked' | 'wait';

/**
 * Cognito's lockout, shared by every way of proving a password or a second factor: from the fifth
 * failure in a row the user waits 2^(n−5) seconds (at most 15 minutes) before the next try counts;
 * attempts meanwhile fail without a check and without extending the wait. Fifteen quiet minutes forgive.
 *
 * It holds under parallel attempts on any number of nodes: an attempt is marked in flight (a
 * compare-and-set on the user's row) before its check runs, and only as many run at once as could
 * all fail without passing the limit — the failures left before the lockout, or one at a time once
 * the user has been locked out before. Attempts beyond that wait for those ahead to be decided: a
 * right answer leaves room, a wrong one may lock the user out, and then the rest are refused
 * unchecked. So a burst of 30 wrong passwords is checked 5 times, and 16 right ones all succeed.
 */
export class Lockout {
  /** Attempts of this process waiting for room, by user: a decided attempt wakes them. */
  private readonly waiting = new Map<string, Set<() => void>>();

  constructor(
    private readonly storage: Storage,
    private readonly clock: Clock,
  ) {}

  /**
   * Runs `check` as one attempt, refused with "Password attempts exceeded" while the user is
   * locked out. Whether it passed; a failed check counts as a failure.
   */
  async attempt(user: UserRecord, check: () => Promise<boolean> | boolean): Promise<boolean> {
    const begun = await this.begin(user);
    let passed = false;
    try {
      passed = await check();
    } finally {
      // What this attempt wrote is the likely state: unless another attempt came between, no read is needed.
      await this.swap(user, (current, now) => settle(current, now, passed), begun);
      this.wake(user);
    }
    return passed;
  }

  /** A password (or its SRP proof), answered as Cognito answers a wrong one. */
  async password(user: UserRecord, check: () => Promise<boolean> | boolean): Promise<void> {
    if (!(await this.attempt(user, check))) throw notAuthorized(INCORRECT_PASSWORD);
  }

  /** A whole sign-in succeeded: every failure is forgiven. */
  async succeeded(user: UserRecord): Promise<void> {
    await this.swap(user, (current) => (current.failures === 0 && current.lastFailureAt === null ? undefined : { ...current, failures: 0, lastFailureAt: null }));
  }

  /** Marks an attempt in flight once the user may have one more; refuses it while locked out. */
  private async begin(user: UserRecord): Promise<SignInAttempts> {
    for (let polls = 0; ; polls++) {
      let decision = 'wait' as Decision;
      await this.swap(user, (current, now) => {
        decision = decide(current, now);
        return typeof decision === 'object' ? decision.begin : undefined;
      });
      if (decision === 'locked' || (decision === 'wait' && polls >= MAX_POLLS)) throw passwordAttemptsExceeded();
      if (decision !== 'wait') return decision.begin;
      await this.room(user);
    }
  }

  /** Resolves when an attempt of this user is decided here, or after a poll interval (one may be decided elsewhere). */
  private room(user: UserRecord): Promise<void> {
    const key = `${user.poolId}\0${user.sub}`;
    const waiters = this.waiting.get(key) ?? new Set();
    this.waiting.set(key, waiters);
    const controller = new AbortController();
    let wake!: () => void;
    const woken = new Promise<void>((resolve) => (wake = resolve));
    waiters.add(wake);
    return Promise.race([woken, sleep(POLL_MS, undefined, { signal: controller.signal }).catch(() => undefined)]).finally(() => {
      controller.abort();
      waiters.delete(wake);
      if (waiters.size === 0 && this.waiting.get(key) === waiters) this.waiting.delete(key);
    });
  }

  /** One attempt decided makes room for one: the longest waiting is woken, not the whole queue. */
  private wake(user: UserRecord): void {
    const first = this.waiting.get(`${user.poolId}\0${user.sub}`)?.values().next();
    if (first && !first.done) first.value();
  }

  /**
   * Replaces the stored attempts with what `next` makes of them (nothing when undefined), again on
   * a fresh read while another attempt changes them first. `guess` spares the first read.
   */
  private async swap(user: UserRecord, next: (current: SignInAttempts, now: number) => SignInAttempts | undefined, guess?: SignInAttempts): Promise<void> {
    for (let known = guess; ; known = undefined) {
      const current = known ?? (await this.storage.users.getSignInAttempts(user.poolId, user.sub));
      if (!current) throw userNotFound();
      const updated = next(current, this.clock.now());
      if (!updated || (await this.storage.users.swapSignInAttempts(user.poolId, user.sub, current, updated))) return;
    }
  }
}

/** Whether one more attempt may be checked now, must wait for those in flight, or is refused. */
export function decide(current: SignInAttempts, now: number): Decision {
  const { failures, lastFailureAt, lastStartedAt } = current;
  if (lastFailureAt !== null && now - lastFailureAt < lockoutMs(failures)) return 'locked';
  const forgiven = lastFailureAt === null || now - lastFailureAt >= QUIET_RESET_MS;
  const settled = forgiven ? 0 : failures;
  const inFlight = lastStartedAt !== null && now - lastStartedAt >= ABANDONED_MS ? 0 : current.inFlight;
  // Room for as many as could all fail before the lockout; past it, one try per lockout window.
  const room = settled < FREE_ATTEMPTS ? FREE_ATTEMPTS - settled : 1;
  if (inFlight >= room) return 'wait';
  return { begin: { failures: settled, lastFailureAt: forgiven ? null : lastFailureAt, inFlight: inFlight + 1, lastStartedAt: now } };
}

/** An attempt decided: no longer in flight, and one more failure if it failed. */
export function settle(current: SignInAttempts, now: number, passed: boolean): SignInAttempts {
  const inFlight = Math.max(0, current.inFlight - 1);
  return passed ? { ...current, inFlight } : { ...current, inFlight, failures: current.failures + 1, lastFailureAt: now };
}
