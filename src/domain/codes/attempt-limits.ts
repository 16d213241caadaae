import type { Clock } from '../../clock.js';
import type { Storage, UserRecord } from '../../storage/types.js';
import type { AttemptLimitConfig, LimitedAction } from '../../config.js';
import { CognitoError } from '../errors.js';

const WINDOW_MS = 3_600_000;

/**
 * Per-user budgets that stop one account's codes being resent or guessed without end. Counted in the
 * database, so several nodes share one budget; every attempt counts, answered or refused.
 */
export class AttemptLimits {
  constructor(
    private readonly storage: Storage,
    private readonly clock: Clock,
    private readonly limits: AttemptLimitConfig,
  ) {}

  async take(user: UserRecord, action: LimitedAction): Promise<void> {
    const limit = this.limits[action];
    if (!(limit > 0)) return;
    const attempts = await this.storage.attemptCounts.count(user.poolId, user.sub, action, this.clock.now(), WINDOW_MS);
    if (attempts > limit) throw new CognitoError('LimitExceededException', 'Attempt limit exceeded, please try after some time.');
  }
}
