import type { AuthFactorType } from '@aws-sdk/client-cognito-identity-provider';
import { configuredAuthFactors } from '../auth/user-auth.js';
import type { Clock } from '../../clock.js';
import type { UserRecord } from '../../storage/types.js';
import { CognitoError } from '../errors.js';
import type { SecretBox } from '../keys/secret-box.js';
import { poolFactors, type MfaFactor } from '../pools/mfa-config.js';
import type { PoolSettings } from '../pools/pool-settings.js';
import type { Users } from '../users/users.js';
import { newTotpSecret, verifyTotp } from './totp.js';
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
  constructor(
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
  /**
   * A sign-in's TOTP answer: right, wrong, or right but spent. The step a right code was accepted
   * for is written on the user, so of two requests with one code (on any nodes) only the first
   * gets its write in: the other reads the step as spent.
   */
  async checkTotpForSignIn(user: UserRecord, code: string): Promise<TotpOutcome> {
    let outcome: TotpOutcome = 'wrong';
    await this.change(user, (current) => {
      const token = mfaStateOf(current).softwareToken;
      outcome = 'wrong';
      if (!token) return undefined;
      const secret = this.open(current, token.secret);
      const matched = verifyTotp(secret, code, this.clock.now(), token.lastUsedStep);
      if (matched === undefined) {
        if (verifyTotp(secret, code, this.clock.now()) !== undefined) outcome = 'reused';
        return undefined;
      }
      outcome = 'valid';
      return { ...mfaStateOf(current), softwareToken: { ...token, lastUsedStep: matched } };
    });
    return outcome;
  }

  /** The MFA part of GetUser and AdminGetUser. */
  report(user: UserRecord, settings: PoolSettings): ReturnType<typeof mfaReport> {
    return mfaReport(user, settings);
  }

  /** GetUserAuthFactors: the user's MFA as GetUser reports it, and the first factors USER_AUTH offers them. */
  authFactors(user: UserRecord, settings: PoolSettings): { Username: string; PreferredMfaSetting?: string; UserMFASettingList?: string[]; ConfiguredUserAuthFactors: AuthFactorType[] } {
    const { PreferredMfaSetting, UserMFASettingList } = mfaReport(user, settings);
    return { Username: user.username, ...(PreferredMfaSetting && { PreferredMfaSetting }), ...(UserMFASettingList && { UserMFASettingList }), ConfiguredUserAuthFactors: configuredAuthFactors(settings, user) };
  }

  async setPreferences(user: UserRecord, preferences: FactorPreferences): Promise<void> {
    await this.change(user, (current) => withPreferences(current, preferences));
  }

  /** AssociateSoftwareToken: a new secret to verify; any authenticator already verified keeps working until then. */
  async associate(user: UserRecord): Promise<string> {
    const secretCode = newTotpSecret();
    const secret = this.secrets.seal(secretCode, totpSecretContext(user));
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

  /**
   * AdminDeleteSoftwareToken: the authenticator (and any awaiting verification) is gone, and with it
   * TOTP as an enabled or preferred factor; the other factors stay as they were.
   */
  async deleteSoftwareToken(user: UserRecord): Promise<void> {
    await this.change(user, (current) => {
      const { softwareToken, pendingSoftwareToken, enabled, preferred, ...rest } = mfaStateOf(current);
      if (!softwareToken && !pendingSoftwareToken && !enabled?.includes('SOFTWARE_TOKEN_MFA')) return undefined;
      return {
        ...rest,
        ...(enabled && { enabled: enabled.filter((factor) => factor !== 'SOFTWARE_TOKEN_MFA') }),
        ...(preferred && preferred !== 'SOFTWARE_TOKEN_MFA' && { preferred }),
      };
    });
  }

  private open(user: UserRecord, sealed: string): string {
    return this.secrets.open(sealed, totpSecretContext(user));
  }

  /** Writes what `next` makes of the user's MFA state as stored now (nothing when it returns undefined). */
  private async change(user: UserRecord, next: (current: UserRecord) => UserMfaState | undefined): Promise<void> {
    const context = await this.users.poolContext(user.poolId);
    await this.users.update(context, user, (current) => {
      const state = next(current);
      return state && { ...current, settings: { ...current.settings, mfa: state } };
    });
  }
}

export type TotpOutcome = 'valid' | 'wrong' | 'reused';

/** The sealed secret opens only in its own user's record. */
/** What a TOTP secret is sealed under: it opens only as this user's. */
export const totpSecretContext = (user: Pick<UserRecord, 'poolId' | 'sub'>): string => `totp-secret:${user.poolId}:${user.sub}`;
