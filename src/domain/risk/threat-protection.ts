import type { AccountTakeoverActionType, CompromisedCredentialsRiskConfigurationType } from '@aws-sdk/client-cognito-identity-provider';
import type { Clock } from '../../clock.js';
import type { EventRiskRecord, Storage } from '../../storage/types.js';
import { RatedRefusal, type AuthEvents, type SignInRating } from '../auth/auth-events.js';
import type { SignIn } from '../auth/sign-in.js';
import { CognitoError } from '../errors.js';
import { timeOrderedId, timeOrderedPrefix } from '../ids.js';
import type { PoolSettings } from '../pools/pool-settings.js';
import type { Users } from '../users/users.js';
import type { Wire } from '../wire.js';
import type { BreachedPasswords } from './breached-passwords.js';
import { inRanges, ipRanges } from './ip-ranges.js';
import { REPORT_WINDOW_MS, riskLevel, signalsOf, VELOCITY_WINDOW_MS } from './risk-rating.js';
import { advancedSecurityMode, customAuthMode, type RiskConfigurationBody, type RiskConfigurations } from './risk-configurations.js';
import type { NotifiedAction, RiskNotifications } from './risk-notifications.js';
import type { UserAuthEvents } from './user-auth-events.js';
import type { Locations } from './locations.js';

/** What the sign-in must do after a rating that lets it go on. */
export type RiskResponse = 'allow' | 'mfa-if-configured' | 'mfa-required';

/** What ENFORCED mode's account-takeover actions leave the sign-in to do (BLOCK refuses it at once). */
const RESPONSES = { NO_ACTION: 'allow', MFA_IF_CONFIGURED: 'mfa-if-configured', MFA_REQUIRED: 'mfa-required' } as const satisfies Record<string, RiskResponse>;

/** A password being set by the user, and where: checked against the breached passwords. */
export interface PasswordChange {
  settings: PoolSettings;
  poolId: string;
  clientId: string;
  event: 'SIGN_UP' | 'PASSWORD_CHANGE';
  /** Known for a password change; a sign-up's user exists only once it succeeded. */
  user?: { sub: string; username: string };
}

/** Cognito's refusal of a sign-in its threat protection blocks. */
export const SECURITY_BLOCK = 'Unable to login because of security reasons.';
const COMPROMISED_PASSWORD = 'Provided password cannot be used for security reasons.';

/** How many of the user's and the address's latest events the rating reads. */
const HISTORY = 100;

const compromisedFilter = (configuration: Wire<CompromisedCredentialsRiskConfigurationType> | undefined) => configuration?.EventFilter ?? ['SIGN_IN', 'SIGN_UP', 'PASSWORD_CHANGE'];

/**
 * Threat protection (UserPoolAddOns.AdvancedSecurityMode): AUDIT rates every password sign-in and
 * records the rating on its event; ENFORCED also does what the pool's (or client's) risk
 * configuration says for the rating: notify, ask for MFA, block, refuse a breached password.
 */
export class ThreatProtection {
  constructor(
    private readonly storage: Storage,
    private readonly authEvents: AuthEvents,
    private readonly configurations: RiskConfigurations,
    private readonly breached: BreachedPasswords,
    private readonly notifications: RiskNotifications,
    private readonly events: UserAuthEvents,
    private readonly users: Users,
    private readonly locations: Locations,
    private readonly clock: Clock,
  ) {}

  /** Whether a sign-in's password is a breached one, where the configuration checks sign-ins. */
  async isBreachedAtSignIn(signIn: SignIn, password: string): Promise<boolean> {
    if (advancedSecurityMode(signIn.context.settings) === 'OFF') return false;
    const configuration = (await this.configurations.effective(signIn.client.poolId, signIn.client.clientId)).CompromisedCredentialsRiskConfiguration;
    return configuration !== undefined && compromisedFilter(configuration).includes('SIGN_IN') && (await this.breached.isBreached(password));
  }

  /**
   * SignUp, ChangePassword and ConfirmForgotPassword: a breached password is refused where ENFORCED
   * mode's configuration blocks it (and a known user's refusal recorded). The answer is the rating
   * to record once the change is made, or undefined without threat protection.
   */
  async checkNewPassword(at: PasswordChange, password: string): Promise<EventRiskRecord | undefined> {
    const mode = advancedSecurityMode(at.settings);
    if (mode === 'OFF') return undefined;
    const configuration = (await this.configurations.effective(at.poolId, at.clientId)).CompromisedCredentialsRiskConfiguration;
    const checked = configuration !== undefined && compromisedFilter(configuration).includes(at.event);
    const risk: EventRiskRecord = { decision: 'NoRisk', compromisedCredentials: checked && (await this.breached.isBreached(password)) };
    if (mode === 'ENFORCED' && risk.compromisedCredentials && configuration?.Actions?.EventAction === 'BLOCK') {
      const refusal = new CognitoError('InvalidPasswordException', COMPROMISED_PASSWORD);
      if (at.user) await this.recordNewPassword(at, at.user, risk, refusal);
      throw refusal;
    }
    return risk;
  }

  /** The event of a sign-up or password change that threat protection rated. */
  async recordNewPassword(at: PasswordChange, user: { sub: string; username: string }, risk: EventRiskRecord | undefined, refusal?: CognitoError): Promise<void> {
    if (!risk) return;
    const type = at.event === 'SIGN_UP' ? 'SignUp' : 'PasswordChange';
    // Keeping an event never fails the change it describes.
    await this.authEvents.passwordEvent({ poolId: at.poolId, clientId: at.clientId, user, type, risk, ...(refusal && { refusal }) }).catch(() => undefined);
  }

  /**
   * Rates a sign-in whose user is known and whose first factor (password, or a custom challenge
   * sequence: `flow`) is proven. Throws RatedRefusal when
   * ENFORCED mode blocks it; otherwise says what must still happen. Without threat protection, or
   * from a skipped address, there is no rating.
   */
  async rateSignIn(signIn: SignIn, flow: 'password' | 'custom' = 'password'): Promise<{ rating?: SignInRating; response: RiskResponse }> {
    const mode = (flow === 'custom' ? customAuthMode : advancedSecurityMode)(signIn.context.settings);
    if (mode === 'OFF') return { response: 'allow' };
    const configuration = await this.configurations.effective(signIn.client.poolId, signIn.client.clientId);
    const exceptions = configuration.RiskExceptionConfiguration;
    if (inRanges(ipRanges(exceptions?.SkippedIPRangeList ?? [], 'SkippedIPRangeList'), signIn.sourceIp)) return { response: 'allow' };
    const eventId = timeOrderedId(this.clock.now());
    const compromised = signIn.passwordBreached === true;
    const place = this.locations.of(signIn.sourceIp);
    const rated = (risk: EventRiskRecord): SignInRating => ({ eventId, ipAddress: signIn.sourceIp, risk, ...(place && { place }) });
    if (inRanges(ipRanges(exceptions?.BlockedIPRangeList ?? [], 'BlockedIPRangeList'), signIn.sourceIp)) {
      const rating = rated({ decision: 'Block', compromisedCredentials: compromised });
      if (mode === 'ENFORCED') throw new RatedRefusal('NotAuthorizedException', SECURITY_BLOCK, rating);
      return { rating, response: 'allow' };
    }
    const level = await this.levelOf(signIn);
    const risk: EventRiskRecord = { decision: level ? 'AccountTakeover' : 'NoRisk', ...(level && { level }), compromisedCredentials: compromised };
    const rating = rated(risk);
    if (mode === 'AUDIT') return { rating, response: 'allow' };
    if (compromised && configuration.CompromisedCredentialsRiskConfiguration?.Actions?.EventAction === 'BLOCK') await this.blockCompromised(signIn, rating);
    const action = level && configuration.AccountTakeoverRiskConfiguration?.Actions?.[`${level}Action`];
    if (!action) return { rating, response: 'allow' };
    await this.notify(signIn, configuration, action, rating);
    if (action.EventAction === 'BLOCK') throw new RatedRefusal('NotAuthorizedException', SECURITY_BLOCK, rating);
    return { rating, response: RESPONSES[action.EventAction as keyof typeof RESPONSES] ?? 'allow' };
  }

  /** A blocked sign-in from a breached password: the user must reset it before signing in again, as in Cognito. */
  private async blockCompromised(signIn: SignIn, rating: SignInRating): Promise<never> {
    await this.users.update(signIn.context, signIn.user, (current) => ({ ...current, status: 'RESET_REQUIRED' }));
    throw new RatedRefusal('NotAuthorizedException', SECURITY_BLOCK, rating);
  }

  private async levelOf(signIn: SignIn): Promise<EventRiskRecord['level']> {
    const now = this.clock.now();
    const poolId = signIn.client.poolId;
    const userEvents = (await this.storage.authEvents.list(poolId, signIn.user.sub, HISTORY)).items;
    const addressEvents = signIn.sourceIp ? await this.storage.authEvents.fromAddress(poolId, signIn.sourceIp, timeOrderedPrefix(now - REPORT_WINDOW_MS), HISTORY) : [];
    const traits = { ipAddress: signIn.sourceIp, ...(signIn.deviceKey && { deviceKey: signIn.deviceKey }), ...(signIn.deviceName && { deviceName: signIn.deviceName }) };
    return riskLevel(signalsOf(traits, userEvents, addressEvents, now - VELOCITY_WINDOW_MS));
  }

  /** A notification that cannot be sent never changes the sign-in's outcome. */
  private async notify(signIn: SignIn, configuration: RiskConfigurationBody, action: Wire<AccountTakeoverActionType>, rating: SignInRating): Promise<void> {
    const notify = configuration.AccountTakeoverRiskConfiguration?.NotifyConfiguration;
    if (!action.Notify || !notify) return;
    const { user, sourceIp, deviceName } = signIn;
    const about = { poolId: user.poolId, user, ipAddress: sourceIp, ...(deviceName && { deviceName }), ...rating.place, at: this.clock.now(), links: this.events.links(user, rating.eventId) };
    await this.notifications.send(notify, action.EventAction as NotifiedAction, about).catch(() => undefined);
  }
}
