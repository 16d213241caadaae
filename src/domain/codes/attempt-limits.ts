import type { Clock } from '../../clock.js';
import type { Storage, UserRecord } from '../../storage/types.js';
import { CognitoError } from '../errors.js';

/** The actions Cognito allows each user only so many times an hour. */
export type LimitedAction =
  | 'ResendConfirmationCode'
  | 'ConfirmSignUp'
  | 'ChangePassword'
  | 'GetUserAttributeVerificationCode'
  | 'VerifyUserAttribute'
  | 'ForgotPassword'
  | 'ConfirmForgotPassword';

/** Attempts per user per hour; 0 lifts the limit. */
export type AttemptLimitConfig = Record<LimitedAction, number>;

/**
 * Cognito's documented per-user quotas. Password resets are allowed "between 5 and 20 attempts for
 * a user to request or enter a password reset code" an hour, by risk: requests take the middle of
 * that range, entries the lenient end.
 */
export const COGNITO_ATTEMPT_LIMITS: AttemptLimitConfig = {
  ResendConfirmationCode: 5,
  ConfirmSignUp: 15,
  ChangePassword: 5,
  GetUserAttributeVerificationCode: 5,
  VerifyUserAttribute: 15,
  ForgotPassword: 10,
  ConfirmForgotPassword: 20,
};

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
