import type { GetUserPoolMfaConfigResponse, MFAOptionType, SetUserPoolMfaConfigRequest } from '@aws-sdk/client-cognito-identity-provider';
import type { UserRecord } from '../../storage/types.js';
import type { Authentication } from '../auth/authentication.js';
import { invalidParameter } from '../errors.js';
import { mfaConfigOf, settingsWithMfaConfig } from '../pools/mfa-config.js';
import type { UserPools } from '../pools/user-pools.js';
import type { Users } from '../users/users.js';
import type { SecondFactors } from './second-factors.js';
import { smsPreferenceOf, type FactorPreferences } from './user-mfa-state.js';

/** Who a TOTP enrolment is for: a signed-in user's access token, or an MFA_SETUP challenge's Session. */
export interface EnrolmentCaller {
  accessToken?: string;
  session?: string;
}

/** A user named by the admin operations, or signed in with an access token. */
export type UserRef = { accessToken: string } | { poolId: string; username: string };

/** The MFA operations: a pool's MFA configuration, and a user's preferences and TOTP enrolment. */
export class MfaSettings {
  constructor(
    private readonly pools: UserPools,
    private readonly users: Users,
    private readonly authentication: Authentication,
    private readonly factors: SecondFactors,
  ) {}

  async poolConfig(poolId: string): Promise<GetUserPoolMfaConfigResponse> {
    return mfaConfigOf((await this.pools.get(poolId)).settings);
  }

  async setPoolConfig(input: SetUserPoolMfaConfigRequest): Promise<GetUserPoolMfaConfigResponse> {
    const pool = await this.pools.changeSettings(input.UserPoolId!, (settings) => settingsWithMfaConfig(settings, input));
    return mfaConfigOf(pool.settings);
  }

  async setPreferences(ref: UserRef, preferences: FactorPreferences): Promise<void> {
    await this.factors.setPreferences(await this.userOf(ref), preferences);
  }

  /** The legacy SetUserSettings and AdminSetUserSettings, which only know SMS. */
  async setSmsOptions(ref: UserRef, options: MFAOptionType[]): Promise<void> {
    await this.setPreferences(ref, smsPreferenceOf(options));
  }

  /** AssociateSoftwareToken; inside a sign-in the answer carries the Session that continues it. */
  async associateSoftwareToken(caller: EnrolmentCaller): Promise<{ secretCode: string; session?: string }> {
    const user = await this.enrolling(caller);
    const secretCode = await this.factors.associate(user);
    if (caller.session === undefined) return { secretCode };
    return { secretCode, session: await this.authentication.advanceMfaSetup(caller.session, 'associated') };
  }

  async verifySoftwareToken(caller: EnrolmentCaller, code: string, deviceName?: string): Promise<{ session?: string }> {
    const user = await this.enrolling(caller);
    await this.factors.verify(user, code, deviceName, caller.session !== undefined);
    if (caller.session === undefined) return {};
    return { session: await this.authentication.advanceMfaSetup(caller.session, 'verified') };
  }

  async deleteSoftwareToken(ref: UserRef): Promise<void> {
    await this.factors.deleteSoftwareToken(await this.userOf(ref));
  }

  private async userOf(ref: UserRef): Promise<UserRecord> {
    if ('accessToken' in ref) return this.authentication.userOfAccessToken(ref.accessToken);
    return (await this.users.get(ref.poolId, ref.username)).user;
  }

  /** The request takes an access token or a session (during MFA_SETUP), not both. */
  private async enrolling({ accessToken, session }: EnrolmentCaller): Promise<UserRecord> {
    if (accessToken !== undefined && session !== undefined) throw invalidParameter('Only one of AccessToken and Session can be given.');
    if (session !== undefined) return this.authentication.userOfMfaSetupSession(session);
    if (accessToken === undefined) throw invalidParameter('Either AccessToken or Session is required.');
    return this.authentication.userOfAccessToken(accessToken);
  }
}
