import type { GetUserResponse, MFAOptionType, SetUserMFAPreferenceRequest } from '@aws-sdk/client-cognito-identity-provider';
import type { UserRecord } from '../../storage/types.js';
import { invalidParameter } from '../errors.js';
import { poolFactors, type MfaFactor } from '../pools/mfa-config.js';
import type { PoolSettings } from '../pools/pool-settings.js';

/** A user's MFA state, kept in the user's settings document under `mfa`. */
export interface UserMfaState {
  /** The factors the user turned on (SetUserMFAPreference, or SMS through SetUserSettings). */
  enabled?: MfaFactor[];
  preferred?: MfaFactor;
  /** The verified authenticator: its secret, sealed with the server key, and the last step a code was accepted for. */
  softwareToken?: { secret: string; lastUsedStep: number; deviceName?: string };
  /** A secret from AssociateSoftwareToken awaiting its first code; until then the verified one stays. */
  pendingSoftwareToken?: { secret: string };
}

/** Enabled and PreferredMfa per factor, as SetUserMFAPreference takes them; a factor left out is left alone. */
export type FactorPreferences = Partial<Record<MfaFactor, { Enabled?: boolean; PreferredMfa?: boolean }>>;

/** The factor settings of SetUserMFAPreference and AdminSetUserMFAPreference, by factor. */
export const factorPreferences = (input: Omit<SetUserMFAPreferenceRequest, 'AccessToken'>): FactorPreferences => ({
  SMS_MFA: input.SMSMfaSettings,
  SOFTWARE_TOKEN_MFA: input.SoftwareTokenMfaSettings,
  EMAIL_OTP: input.EmailMfaSettings,
});

/** The order factors are listed in, the order of Cognito's ChallengeNameType. */
const FACTOR_ORDER: readonly MfaFactor[] = ['SMS_MFA', 'SOFTWARE_TOKEN_MFA', 'EMAIL_OTP'];
const SMS_OPTION: MFAOptionType = { DeliveryMedium: 'SMS', AttributeName: 'phone_number' };

export const mfaStateOf = (user: UserRecord): UserMfaState => (user.settings.mfa as UserMfaState | undefined) ?? {};

/** Whether the user has what a factor needs: a phone number, a verified authenticator, an email address. */
export function canUse(user: UserRecord, factor: MfaFactor): boolean {
  if (factor === 'SOFTWARE_TOKEN_MFA') return mfaStateOf(user).softwareToken !== undefined;
  return Boolean(user.attributes[factor === 'SMS_MFA' ? 'phone_number' : 'email']);
}

/**
 * The factors a sign-in may ask this user for. Optional MFA asks for the factors the user turned on;
 * required MFA for every factor the user can answer, turned on or not, which is why Cognito lets
 * users turn factors off there to no effect.
 */
export function activeFactors(user: UserRecord, settings: PoolSettings): MfaFactor[] {
  const mode = settings.MfaConfiguration ?? 'OFF';
  if (mode === 'OFF') return [];
  const usable = poolFactors(settings).filter((factor) => canUse(user, factor));
  if (mode === 'ON') return usable;
  const chosen = mfaStateOf(user).enabled ?? [];
  return usable.filter((factor) => chosen.includes(factor));
}

/** The state after SetUserMFAPreference: a factor turns on only when usable, and one factor at most is preferred. */
export function withPreferences(user: UserRecord, preferences: FactorPreferences): UserMfaState {
  const state = mfaStateOf(user);
  const enabled = new Set(state.enabled ?? []);
  let preferred = state.preferred;
  // Clients send null for a factor they leave alone (amazon-cognito-identity-js's setUserMfaPreference(null, …)).
  const given = FACTOR_ORDER.filter((factor) => preferences[factor] != null);
  if (given.filter((factor) => preferences[factor]!.PreferredMfa).length > 1) throw invalidParameter('Only one MFA method can be set as preferred.');
  for (const factor of given) {
    const { Enabled, PreferredMfa } = preferences[factor]!;
    if (Enabled === true && !canUse(user, factor)) throw invalidParameter(`User does not have delivery config set to turn on ${factor}`);
    if (Enabled === true) enabled.add(factor);
    if (Enabled === false) enabled.delete(factor);
    if (PreferredMfa === true && !enabled.has(factor)) throw invalidParameter(`${factor} must be enabled to be the preferred MFA.`);
    if (PreferredMfa === true) preferred = factor;
    else if ((PreferredMfa === false || !enabled.has(factor)) && preferred === factor) preferred = undefined;
  }
  const { preferred: _previous, ...rest } = state;
  return { ...rest, enabled: FACTOR_ORDER.filter((factor) => enabled.has(factor)), ...(preferred && { preferred }) };
}

/** The legacy SetUserSettings: a list naming SMS to phone_number turns SMS MFA on, an empty list turns it off. */
export function smsPreferenceOf(options: MFAOptionType[]): FactorPreferences {
  for (const option of options) {
    if (option.AttributeName !== 'phone_number') throw invalidParameter('Only phone_number attribute is currently supported as a MFA option.');
    if (option.DeliveryMedium !== 'SMS') throw invalidParameter('Only SMS delivery medium is currently supported as a MFA option.');
  }
  return { SMS_MFA: { Enabled: options.length > 0 } };
}

/** What GetUser and AdminGetUser say of MFA, each part left out when empty. */
export function mfaReport(user: UserRecord, settings: PoolSettings): Pick<GetUserResponse, 'MFAOptions' | 'PreferredMfaSetting' | 'UserMFASettingList'> {
  const { enabled = [], preferred } = mfaStateOf(user);
  const active = new Set([...enabled, ...activeFactors(user, settings)]);
  const list = FACTOR_ORDER.filter((factor) => active.has(factor));
  return {
    ...(list.includes('SMS_MFA') && { MFAOptions: [SMS_OPTION] }),
    ...(preferred && { PreferredMfaSetting: preferred }),
    ...(list.length > 0 && { UserMFASettingList: list }),
  };
}
