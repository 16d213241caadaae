import type { Clock } from '../../clock.js';
import type { DeviceRecord, UserRecord } from '../../storage/types.js';
import { tracksDevices, type Devices } from '../devices/devices.js';
import { CognitoError, invalidParameter, notAuthorized } from '../errors.js';
import { checkPassword, POLICY_PREAMBLE } from '../passwords/password-policy.js';
import type { Tokens } from '../tokens/tokens.js';
import { planAttributeUpdate, withAttributes, type AttributeDoor } from '../users/attribute-writes.js';
import { missingRequiredAttributes } from '../users/user-attributes.js';
import type { Users } from '../users/users.js';
import type { AuthOutcome, SignIn } from './sign-in.js';
import type { SignInSessions } from './sign-in-sessions.js';
import type { MfaStep } from './mfa-step.js';
import type { Lockout } from './lockout.js';
import type { UserTriggers } from '../triggers/user-triggers.js';
import { SECURITY_BLOCK, type RiskResponse, type ThreatProtection } from '../risk/threat-protection.js';
import { RatedRefusal } from './auth-events.js';

/**
 * What follows a proven password, whichever way it was proven: the user's state, a forced new
 * password, the device's own proof, and finally tokens (with a new device key on tracking pools).
 */
export class SignInCompletion {
  constructor(
    private readonly sessions: SignInSessions,
    private readonly users: Users,
    private readonly devices: Devices,
    private readonly tokens: Tokens,
    private readonly mfa: MfaStep,
    private readonly lockout: Lockout,
    private readonly clock: Clock,
    private readonly triggers: UserTriggers,
    private readonly threats: ThreatProtection,
  ) {}

  /**
   * The user's state decides whether the sign-in may go on; this runs only after the password was
   * right (an unconfirmed user was turned away before it was checked: checkConfirmed).
   */
  checkCanSignIn(user: UserRecord): void {
    if (!user.enabled) throw notAuthorized('User is disabled.');
    if (user.status === 'RESET_REQUIRED') throw new CognitoError('PasswordResetRequiredException', 'Password reset required for the user');
    if (user.status === 'FORCE_CHANGE_PASSWORD' && user.passwordExpiresAt !== null && user.passwordExpiresAt <= this.clock.now()) {
      throw notAuthorized('Temporary password has expired and must be reset by an administrator.');
    }
  }

  /** A device the client names must be one of the user's. */
  async checkDevice(signIn: SignIn): Promise<void> {
    if (signIn.deviceKey !== undefined) await this.devices.ofUser(signIn.user, signIn.deviceKey);
  }

  /**
   * Threat protection rates the sign-in once the password is proven (`password`: the one given,
   * where the flow shows it); in ENFORCED mode the rating may block it or ask for the user's MFA
   * even where a remembered device would stand in for it.
   */
  async afterPassword(unrated: SignIn, password?: string): Promise<AuthOutcome> {
    this.checkCanSignIn(unrated.user);
    // Only the password flows show the password itself: SRP's proofs never do, so Cognito checks these alone.
    const breached = password !== undefined && (await this.threats.isBreachedAtSignIn(unrated, password));
    const { rating, response } = await this.threats.rateSignIn(breached ? { ...unrated, passwordBreached: true } : unrated);
    if (!rating) return this.afterRating(unrated, response);
    return { ...(await this.afterRating({ ...unrated, rating }, response)), Rating: rating };
  }

  private async afterRating(signIn: SignIn, response: RiskResponse): Promise<AuthOutcome> {
    if (signIn.user.status === 'FORCE_CHANGE_PASSWORD') return this.newPasswordChallenge(signIn);
    if (response !== 'allow') {
      const challenge = await this.mfa.begin(signIn, true);
      if (challenge) return challenge;
      if (response === 'mfa-required') throw new RatedRefusal('NotAuthorizedException', SECURITY_BLOCK, signIn.rating!);
    }
    return this.afterUserProven(signIn);
  }

  /**
   * A custom challenge sequence the pool's function declared complete: no second factor follows,
   * as Cognito leaves that to the sequence itself, unless threat protection rates custom sign-ins
   * (CustomAuthMode) and its action asks for one.
   */
  async afterCustomChallenges(unrated: SignIn): Promise<AuthOutcome> {
    this.checkCanSignIn(unrated.user);
    const { rating, response } = await this.threats.rateSignIn(unrated, 'custom');
    if (!rating) return this.afterUserProven(unrated, true);
    const signIn = { ...unrated, rating };
    const outcome = response === 'allow' ? await this.afterUserProven(signIn, true) : await this.afterRating(signIn, response);
    return { ...outcome, Rating: rating };
  }

  /**
   * After the password: the second factor, unless a remembered device may stand in for it (the
   * pool's ChallengeRequiredOnNewDevice); then a confirmed device must prove itself by SRP.
   */
  async afterUserProven(signIn: SignIn, mfaDone = false, sessionId?: string): Promise<AuthOutcome> {
    const device = signIn.deviceKey === undefined ? undefined : await this.devices.ofUser(signIn.user, signIn.deviceKey);
    const deviceStandsIn = device?.verifier != null && device.remembered && signIn.context.settings.DeviceConfiguration?.ChallengeRequiredOnNewDevice === true;
    if (!mfaDone && !deviceStandsIn) {
      const challenge = await this.mfa.begin(signIn);
      if (challenge) return challenge;
    }
    if (device?.verifier != null) {
      const session = await this.sessions.continue(signIn, 'DEVICE_SRP_AUTH', { deviceKey: device.deviceKey }, sessionId);
      return { ChallengeName: 'DEVICE_SRP_AUTH', Session: session, ChallengeParameters: {} };
    }
    return this.issueTokens(signIn, device);
  }

  /**
   * Tokens bound to the device that proved itself, or on a tracking pool to a device key issued
   * now (an unconfirmed one the client named is offered again rather than duplicated).
   */
  async issueTokens(signIn: SignIn, device?: DeviceRecord): Promise<AuthOutcome> {
    const { context, client, user } = signIn;
    let deviceKey: string | null = device?.verifier != null ? device.deviceKey : null;
    // The managed login pages track no devices: the browser's session cookie stands in.
    const newDevice = !signIn.hosted && deviceKey === null && tracksDevices(context.settings);
    // A function that refuses the sign-in does so before anything of it is written.
    await this.triggers.postAuthentication(context.pool, user, signIn.caller, newDevice && !device);
    // On the pages the sign-in ends here; they make the session cookie and the code.
    if (signIn.hosted) {
      await this.lockout.succeeded(user);
      return { ChallengeParameters: {}, HostedSignIn: { user } };
    }
    let metadata;
    if (newDevice) {
      metadata = device ? { DeviceKey: device.deviceKey, DeviceGroupKey: device.groupKey } : await this.devices.issue(user, signIn.sourceIp);
      deviceKey = metadata.DeviceKey;
    }
    // Failures are forgiven only by a whole sign-in, so guessing MFA codes across sign-ins still locks.
    await this.lockout.succeeded(user);
    const tokens = await this.tokens.signIn(context.pool, client, user, deviceKey, { source: signIn.completedBy ?? 'Authentication', caller: signIn.caller, sourceIp: signIn.sourceIp });
    return { ChallengeParameters: {}, AuthenticationResult: { ...tokens, ...(metadata && { NewDeviceMetadata: metadata }) } };
  }

  private async newPasswordChallenge(signIn: SignIn): Promise<AuthOutcome> {
    const { context, user } = signIn;
    const session = await this.sessions.continue(signIn, 'NEW_PASSWORD_REQUIRED');
    const schema = context.settings.SchemaAttributes ?? [];
    const required = missingRequiredAttributes(new Map(Object.entries(user.attributes)), schema).map((name) => `userAttributes.${name}`);
    return {
      ChallengeName: 'NEW_PASSWORD_REQUIRED',
      Session: session,
      ChallengeParameters: {
        USER_ID_FOR_SRP: user.username,
        requiredAttributes: JSON.stringify(required),
        userAttributes: JSON.stringify(user.attributes),
      },
    };
  }

  /**
   * NEW_PASSWORD_REQUIRED answered: the new password, the attributes the user lacks (under the
   * same rule as every attribute write), then the rest of the sign-in.
   */
  async completeNewPassword(signIn: SignIn, responses: Record<string, string>): Promise<AuthOutcome> {
    const { context, user, client } = signIn;
    const newPassword = responses.NEW_PASSWORD;
    if (typeof newPassword !== 'string') throw invalidParameter('Missing required parameter NEW_PASSWORD');
    checkPassword(context.settings.Policies.PasswordPolicy, newPassword, POLICY_PREAMBLE.newPassword);
    const given = Object.entries(responses)
      .filter(([name, value]) => name.startsWith('userAttributes.') && typeof value === 'string')
      .map(([name, value]) => ({ Name: name.slice('userAttributes.'.length), Value: value }));
    const door: AttributeDoor = { operation: 'NewPasswordRequired', writableByClient: client.settings.WriteAttributes };
    // Refused before the password is hashed; checked again on the user as written.
    planAttributeUpdate(user, given, door, context.settings);
    const confirmed = await this.users.setPermanentPassword(context, user, newPassword, (current) => {
      if (current.status !== 'FORCE_CHANGE_PASSWORD') throw notAuthorized('Invalid session for the user, session is expired.');
      return { ...withAttributes(current, planAttributeUpdate(current, given, door, context.settings)), status: 'CONFIRMED' };
    });
    return this.afterUserProven({ ...signIn, user: confirmed, completedBy: 'NewPasswordChallenge' });
  }
}

