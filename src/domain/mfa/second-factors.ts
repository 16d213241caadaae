import type { Clock } from '../../clock.js';
import type { Storage, UserRecord } from '../../storage/types.js';
import { CognitoError } from '../errors.js';
import type { SecretBox } from '../keys/secret-box.js';
import { poolFactors, type MfaFactor } from '../pools/mfa-config.js';
import type { PoolSettings } from '../pools/pool-settings.js';
import { userNotFound, type Users } from '../users/users.js';
import { newTotpSecret, stepAcceptedUntil, verifyTotp } from './totp.js';
import { activeFactors, mfaReport, mfaStateOf, withPreferences, type FactorPreferences, type UserMfaState } from './user-mfa-state.js';

/**
 * A user's second factors: which are on, the TOTP authenticator, preferences.
 *
 * What sign-in uses (and implements the UserMfa the MFA challenges take):
 *   enabledFactors(user, settings): MfaFactor[]      factors this sign-in may ask for ([] when the pool's MFA is OFF)
 *   preferredFactor(user): MfaFactor | undefined     the user's preferred factor, if any
 *   factorsUserCanSetUp(settings): MfaFactor[]       MFAS_CAN_SETUP: the factors the pool offers
 *   checkTotpForSignIn(user, code): Promise<boolean> a code of the verified authenticator, used at most once
 */
export class SecondFactors {
  /** Per-user chains of MFA state changes, so a TOTP step is claimed once even by simultaneous requests. */
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(
    private readonly storage: Storage,
    private readonly users: Users,
    private readonly secrets: SecretBox,
    private readonly clock: Clock,
  ) {}

  enabledFactors(user: UserRecord, settings: PoolSettings): MfaFactor[] {
    return activeFactors(user, settings);
  }

  preferredFactor(user: UserRecord): MfaFactor | undefined {
    return mfaStateOf(user).preferred;
  }

  factorsUserCanSetUp(settings: PoolSettings): MfaFactor[] {
    return poolFactors(settings);
  }

  /** A sign-in's TOTP answer: right, wrong, or right but spent (its time step was used already). */
  async checkTotpForSignIn(user: UserRecord, code: string): Promise<TotpOutcome> {
    let outcome: TotpOutcome = 'wrong';
    let matched: number | undefined;
    await this.change(user, (current) => {
      const token = mfaStateOf(current).softwareToken;
      if (!token) return undefined;
      const secret = this.open(current, token.secret);
      matched = verifyTotp(secret, code, this.clock.now(), token.lastUsedStep);
      if (matched === undefined) {
        outcome = verifyTotp(secret, code, this.clock.now()) === undefined ? 'wrong' : 'reused';
        return undefined;
      }
      return { ...mfaStateOf(current), softwareToken: { ...token, lastUsedStep: matched } };
    });
    if (matched === undefined) return outcome;
    // lastUsedStep refuses a replay here; the claim refuses one answered by another node at the same moment.
    const claimed = await this.storage.singleUseClaims.claim(user.poolId, user.sub, `totp-step:${matched}`, this.clock.now(), stepAcceptedUntil(matched));
    return claimed ? 'valid' : 'reused';
  }

  /** The MFA part of GetUser and AdminGetUser. */
  report(user: UserRecord, settings: PoolSettings): ReturnType<typeof mfaReport> {
    return mfaReport(user, settings);
  }

  async setPreferences(user: UserRecord, preferences: FactorPreferences): Promise<void> {
    await this.change(user, (current) => withPreferences(current, preferences));
  }

  /** AssociateSoftwareToken: a new secret to verify; any authenticator already verified keeps working until then. */
  async associate(user: UserRecord): Promise<string> {
    const secretCode = newTotpSecret();
    const secret = this.secrets.seal(secretCode, sealContext(user));
    await this.change(user, (current) => ({ ...mfaStateOf(current), pendingSoftwareToken: { secret } }));
    return secretCode;
  }

  /**
   * VerifySoftwareToken: a right code makes the new secret the user's authenticator. Set up inside
   * a sign-in (MFA_SETUP), it is also turned on, and preferred unless another factor is.
   */
  async verify(user: UserRecord, code: string, deviceName: string | undefined, duringSignIn: boolean): Promise<void> {
    await this.change(user, (current) => {
      const state = mfaStateOf(current);
      if (!state.pendingSoftwareToken) throw new CognitoError('SoftwareTokenMFANotFoundException', 'Software Token MFA does not exist for the user.');
      const { secret } = state.pendingSoftwareToken;
      const step = verifyTotp(this.open(current, secret), code, this.clock.now());
      if (step === undefined) throw new CognitoError('EnableSoftwareTokenMFAException', 'Code mismatch and fail enable Software Token MFA');
      const { pendingSoftwareToken: _done, ...rest } = state;
      const verified: UserMfaState = { ...rest, softwareToken: { secret, lastUsedStep: step, ...(deviceName !== undefined && { deviceName }) } };
      if (!duringSignIn) return verified;
      const settled = withPreferences({ ...current, settings: { ...current.settings, mfa: verified } }, { SOFTWARE_TOKEN_MFA: { Enabled: true } });
      return { ...settled, preferred: settled.preferred ?? 'SOFTWARE_TOKEN_MFA' };
    });
  }

  private open(user: UserRecord, sealed: string): string {
    return this.secrets.open(sealed, sealContext(user));
  }

  /**
   * Applies `next` to the user as stored now, after any change to the same user still in flight
   * here, and saves the result (nothing when `next` returns undefined).
   */
  private change(user: UserRecord, next: (current: UserRecord) => UserMfaState | undefined): Promise<void> {
    const key = `${user.poolId}\0${user.sub}`;
    const run = (this.queues.get(key) ?? Promise.resolve()).then(async () => {
      const current = await this.storage.users.getBySub(user.poolId, user.sub);
      if (!current) throw userNotFound();
      const state = next(current);
      if (state === undefined) return;
      const updated: UserRecord = { ...current, settings: { ...current.settings, mfa: state }, updatedAt: this.clock.now() };
      await this.users.save(await this.users.poolContext(user.poolId), updated);
    });
    const settled = run.catch(() => undefined);
    this.queues.set(key, settled);
    void settled.then(() => this.queues.get(key) === settled && this.queues.delete(key));
    return run;
  }
}

export type TotpOutcome = 'valid' | 'wrong' | 'reused';

/** The sealed secret opens only in its own user's record. */
const sealContext = (user: UserRecord): string => `totp-secret:${user.poolId}:${user.sub}`;
