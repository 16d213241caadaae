import type { AuthFactorType, ChallengeNameType } from '@aws-sdk/client-cognito-identity-provider';
import { allowsFirstFactor, type PoolSettings } from '../pools/pool-settings.js';
import type { AuthSessionRecord, UserRecord } from '../../storage/types.js';
import type { AppClient } from '../clients/app-clients.js';
import { CognitoError, invalidParameter, notAuthorized } from '../errors.js';
import type { PasswordCredentials } from '../passwords/credentials.js';
import type { Caller } from '../triggers/caller.js';
import type { UserTriggers } from '../triggers/user-triggers.js';
import { userNotFound, type Users } from '../users/users.js';
import { passkeysOf, type Passkeys } from '../webauthn/passkeys.js';
import { checkSecretHash } from './client-checks.js';
import { decoyDelivery } from '../codes/verification-codes.js';
import type { SecretBox } from '../keys/secret-box.js';
import { unknownUserOf } from './custom-auth.js';
import type { Lockout } from './lockout.js';
import type { MfaStep } from './mfa-step.js';
import { beforeFirstFactor, INCORRECT_PASSWORD, parameterOf, type AuthOutcome, type SignIn } from './sign-in.js';
import type { SignInCompletion } from './sign-in-completion.js';
import type { SignInSessions } from './sign-in-sessions.js';
import type { SrpSignIn } from './srp-sign-in.js';

/** The first factors of choice-based sign-in, in the order SELECT_CHALLENGE offers them. */
const FIRST_FACTORS = ['PASSWORD', 'PASSWORD_SRP', 'EMAIL_OTP', 'SMS_OTP', 'WEB_AUTHN'] as const;
type FirstFactor = (typeof FIRST_FACTORS)[number];

/** The factors a user may start USER_AUTH with: what the pool allows and the user has (a password, a verified email or phone, a passkey). */
export function firstFactorsOf(settings: PoolSettings, user: UserRecord): FirstFactor[] {
  const has: Record<FirstFactor, boolean> = {
    PASSWORD: user.passwordHash !== null,
    PASSWORD_SRP: user.srpVerifier !== null,
    EMAIL_OTP: !!user.attributes.email && user.attributes.email_verified === 'true',
    SMS_OTP: !!user.attributes.phone_number && user.attributes.phone_number_verified === 'true',
    WEB_AUTHN: passkeysOf(user).length > 0,
  };
  return firstFactorsOfPool(settings).filter((factor) => has[factor]);
}

/** The first factors a pool offers anyone: what a user who had them all could choose from. */
function firstFactorsOfPool(settings: PoolSettings): FirstFactor[] {
  return FIRST_FACTORS.filter((factor) => allowsFirstFactor(settings, factor === 'PASSWORD_SRP' ? 'PASSWORD' : factor));
}

/** GetUserAuthFactors' ConfiguredUserAuthFactors: the first factors, SRP being a way of giving the password. */
export const configuredAuthFactors = (settings: PoolSettings, user: UserRecord): AuthFactorType[] =>
  firstFactorsOf(settings, user).filter((factor) => factor !== 'PASSWORD_SRP') as AuthFactorType[];

/** The session ConfirmSignUp hands back, which USER_AUTH takes in place of a first factor. */
export const AUTO_SIGN_IN = 'AUTO_SIGN_IN';

/**
 * USER_AUTH, Cognito's choice-based sign-in: the user proves a first factor of their choosing — a
 * password (plain or SRP), a code sent by email or SMS, or a passkey — chosen up front with
 * PREFERRED_CHALLENGE or from SELECT_CHALLENGE's AvailableChallenges. A password goes on to MFA as
 * in the other flows; a code or a passkey is the whole sign-in (Cognito lets passwordless users
 * have no MFA).
 */
export class UserAuth {
  constructor(
    private readonly sessions: SignInSessions,
    private readonly users: Users,
    private readonly credentials: PasswordCredentials,
    private readonly lockout: Lockout,
    private readonly completion: SignInCompletion,
    private readonly srp: SrpSignIn,
    private readonly mfa: MfaStep,
    private readonly passkeys: Passkeys,
    private readonly triggers: UserTriggers,
    private readonly secrets: SecretBox,
  ) {}

  /** `hosted`: on the managed login pages, which need no SECRET_HASH and end in a signed-in page rather than tokens. */
  async start(client: AppClient, parameters: Record<string, string>, sessionId: string | undefined, sourceIp: string | null, caller: Caller, hosted?: true): Promise<AuthOutcome> {
    const username = parameterOf(parameters, 'USERNAME');
    if (username === undefined) throw invalidParameter('Missing required parameter USERNAME');
    if (!hosted) checkSecretHash(client, username, parameterOf(parameters, 'SECRET_HASH'));
    const context = await this.users.poolContext(client.poolId);
    if ((context.settings.UserPoolTier ?? 'ESSENTIALS') === 'LITE') throw new CognitoError('FeatureUnavailableInTierException', 'USER_AUTH requires the ESSENTIALS or PLUS feature plan.');
    const user = await this.users.find(context, username);
    await beforeFirstFactor(this.triggers, context, client, username, user, caller);
    if (!user) {
      if (client.settings.PreventUserExistenceErrors !== 'ENABLED') throw userNotFound();
      return this.decoy(client, username, parameters, firstFactorsOfPool(context.settings), caller);
    }
    if (!user.enabled) throw notAuthorized('User is disabled.');
    const signIn: SignIn = { context, client, user, deviceKey: parameterOf(parameters, 'DEVICE_KEY'), sourceIp, caller, ...(hosted && { hosted }) };
    if (sessionId !== undefined) return this.autoSignIn(signIn, sessionId);
    const available = this.available(signIn);
    const preferred = parameterOf(parameters, 'PREFERRED_CHALLENGE');
    if (preferred !== undefined && (available as string[]).includes(preferred)) return this.begin(signIn, preferred as FirstFactor, parameters);
    // A page's passkey button asks for nothing else.
    if (hosted) throw notAuthorized('There is no passkey to sign in with for this user.');
    if (available.length === 0) throw notAuthorized(INCORRECT_PASSWORD);
    const session = await this.sessions.continue(signIn, 'SELECT_CHALLENGE', { available });
    return { ChallengeName: 'SELECT_CHALLENGE', Session: session, ChallengeParameters: {}, AvailableChallenges: available as ChallengeNameType[] };
  }

  /** SELECT_CHALLENGE answered with a factor, perhaps with its proof in the same answer (PASSWORD, SRP_A). */
  async select(signIn: SignIn, session: AuthSessionRecord, responses: Record<string, string>): Promise<AuthOutcome> {
    const answer = parameterOf(responses, 'ANSWER');
    const available = (session.state.available as string[] | undefined) ?? [];
    if (answer === undefined || !available.includes(answer)) {
      await this.sessions.restore(session);
      throw invalidParameter('Invalid challenge selected.');
    }
    return this.begin(signIn, answer as FirstFactor, responses);
  }

  /** The PASSWORD challenge (a factor chosen without its password): the password now. */
  async answerPassword(signIn: SignIn, session: AuthSessionRecord, responses: Record<string, string>): Promise<AuthOutcome> {
    if (parameterOf(responses, 'PASSWORD') === undefined) {
      await this.sessions.restore(session);
      throw invalidParameter('Missing required parameter PASSWORD');
    }
    return this.begin(signIn, 'PASSWORD', responses);
  }

  /** The PASSWORD_SRP challenge: SRP_A now, and the PASSWORD_VERIFIER challenge next. */
  async answerSrp(signIn: SignIn, session: AuthSessionRecord, responses: Record<string, string>): Promise<AuthOutcome> {
    if (parameterOf(responses, 'SRP_A') === undefined) {
      await this.sessions.restore(session);
      throw invalidParameter('Missing required parameter SRP_A');
    }
    return this.begin(signIn, 'PASSWORD_SRP', responses);
  }

  /** WEB_AUTHN answered with CREDENTIAL: an assertion over the challenge this session issued. */
  async answerPasskey(signIn: SignIn, session: AuthSessionRecord, responses: Record<string, string>): Promise<AuthOutcome> {
    const credential = parameterOf(responses, 'CREDENTIAL');
    if (credential === undefined) {
      await this.sessions.restore(session);
      throw invalidParameter('Missing required parameter CREDENTIAL');
    }
    const expected = session.state as { challenge: string; rpId: string };
    let verified: { user: UserRecord; userVerified: boolean } | undefined;
    // A failed assertion counts toward the lockout like a wrong password.
    await this.lockout.password(signIn.user, async () => {
      try {
        verified = await this.passkeys.verifyAssertion(signIn.context, signIn.user, credential, expected);
        return true;
      } catch (error) {
        if (error instanceof CognitoError && error.type === 'NotAuthorizedException') return false;
        throw error;
      }
    });
    // A passkey is one factor, unless the pool counts a user-verified one as two (MULTI_FACTOR_WITH_USER_VERIFICATION).
    const twoFactors = verified!.userVerified && signIn.context.settings.WebAuthnConfiguration?.FactorConfiguration === 'MULTI_FACTOR_WITH_USER_VERIFICATION';
    return this.completion.afterUserProven({ ...signIn, user: verified!.user }, twoFactors);
  }

  private available(signIn: SignIn): FirstFactor[] {
    return firstFactorsOf(signIn.context.settings, signIn.user);
  }

  private async begin(signIn: SignIn, factor: FirstFactor, parameters: Record<string, string>): Promise<AuthOutcome> {
    switch (factor) {
      case 'PASSWORD': {
        const password = parameterOf(parameters, 'PASSWORD');
        if (password === undefined) return this.challenge(signIn, 'PASSWORD');
        await this.lockout.password(signIn.user, () => this.credentials.verify(signIn.user, password));
        return this.completion.afterPassword({ ...signIn, user: await this.users.refreshCredentials(signIn.context, signIn.user, password) }, password);
      }
      case 'PASSWORD_SRP': {
        const srpA = parameterOf(parameters, 'SRP_A');
        if (srpA === undefined) return this.challenge(signIn, 'PASSWORD_SRP');
        return this.srp.challengePassword(signIn.client, signIn.user, srpA, { deviceKey: signIn.deviceKey });
      }
      case 'EMAIL_OTP':
      case 'SMS_OTP':
        return this.mfa.challenge(signIn, factor);
      case 'WEB_AUTHN': {
        const { options, challenge, rpId } = await this.passkeys.assertionOptions(signIn.context, signIn.user);
        const session = await this.sessions.continue(signIn, 'WEB_AUTHN', { challenge, rpId });
        return { ChallengeName: 'WEB_AUTHN', Session: session, ChallengeParameters: { CREDENTIAL_REQUEST_OPTIONS: JSON.stringify(options) } };
      }
    }
  }

  /**
   * A name nobody has, where the client hides that: what a real user would be answered, from the
   * pool's factors — a wrong password, SRP's decoy challenge, a code "sent", or the choice — whose
   * answer then fails as a wrong one would.
   */
  private async decoy(client: AppClient, username: string, parameters: Record<string, string>, factors: FirstFactor[], caller: Caller): Promise<AuthOutcome> {
    const preferred = parameterOf(parameters, 'PREFERRED_CHALLENGE') as FirstFactor | undefined;
    const unknown = unknownUserOf(username);
    if (preferred === 'PASSWORD' && parameterOf(parameters, 'PASSWORD') !== undefined) {
      await this.credentials.dummyVerify(parameterOf(parameters, 'PASSWORD')!);
      throw notAuthorized(INCORRECT_PASSWORD);
    }
    if (preferred === 'PASSWORD_SRP' && parameterOf(parameters, 'SRP_A') !== undefined) return this.srp.start(client, parameters, caller);
    if (preferred === 'EMAIL_OTP' || preferred === 'SMS_OTP') {
      const session = await this.sessions.start(client, unknown, preferred, {});
      const delivery = decoyDelivery(this.secrets, client.poolId, username, [preferred === 'EMAIL_OTP' ? 'email' : 'phone_number']);
      return { ChallengeName: preferred, Session: session, ChallengeParameters: { CODE_DELIVERY_DELIVERY_MEDIUM: delivery.DeliveryMedium!, CODE_DELIVERY_DESTINATION: delivery.Destination! } };
    }
    const session = await this.sessions.start(client, unknown, 'SELECT_CHALLENGE', {});
    return { ChallengeName: 'SELECT_CHALLENGE', Session: session, ChallengeParameters: {}, AvailableChallenges: factors.filter((factor) => factor !== 'WEB_AUTHN') as ChallengeNameType[] };
  }

  private async challenge(signIn: SignIn, name: 'PASSWORD' | 'PASSWORD_SRP'): Promise<AuthOutcome> {
    return { ChallengeName: name, Session: await this.sessions.continue(signIn, name), ChallengeParameters: {} };
  }

  /** InitiateAuth with the Session ConfirmSignUp returned: the confirmation code was the first factor. */
  private async autoSignIn(signIn: SignIn, sessionId: string): Promise<AuthOutcome> {
    const session = await this.sessions.consume(sessionId);
    if (!session || session.challenge !== AUTO_SIGN_IN || session.clientId !== signIn.client.clientId || session.sub !== signIn.user.sub) {
      throw notAuthorized('Invalid session for the user, session is expired.');
    }
    return this.completion.afterUserProven(signIn, true);
  }
}
