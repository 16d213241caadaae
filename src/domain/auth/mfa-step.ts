import type { ChallengeNameType } from '@aws-sdk/client-cognito-identity-provider';
import type { AuthSessionRecord, UserRecord } from '../../storage/types.js';
import type { VerificationCodes } from '../codes/verification-codes.js';
import { CognitoError, invalidParameter, notAuthorized } from '../errors.js';
import type { PoolSettings } from '../pools/pool-settings.js';
import type { MfaFactor } from '../pools/mfa-config.js';
import type { Lockout } from './lockout.js';
import { parameterOf, type AuthOutcome, type SignIn } from './sign-in.js';
import type { SignInSessions } from './sign-in-sessions.js';


/** What the sign-in needs to know of a user's second factors. */
export interface UserMfa {
  /** The factors the user has turned on that the pool allows. */
  enabledFactors(user: UserRecord, settings: PoolSettings): MfaFactor[];
  preferredFactor(user: UserRecord): MfaFactor | undefined;
  /** What a user without a factor may set up when the pool requires one (MFAS_CAN_SETUP). */
  factorsUserCanSetUp(settings: PoolSettings): MfaFactor[];
  checkTotpForSignIn(user: UserRecord, code: string): Promise<'valid' | 'wrong' | 'reused'>;
}

/** MFA codes at sign-in live three minutes, as Cognito's do. */
const CODE_LIFETIME_MS = 3 * 60_000;
const CODE_PURPOSE = 'mfa_sign_in';
const DEFAULT_SMS_MESSAGE = 'Your authentication code is {####}. ';
const DEFAULT_EMAIL_SUBJECT = 'Your sign-in code';
const CODE_MISMATCH = () => new CognitoError('CodeMismatchException', 'Invalid code or auth state for the user.');

/** A challenge answered with a code: the MFA factors, and SMS_OTP, USER_AUTH's text-message first factor. */
export type CodeFactor = MfaFactor | 'SMS_OTP';

/** Which response key carries the answer to each factor's challenge. */
const ANSWER_KEY: Record<CodeFactor, string> = {
  SMS_MFA: 'SMS_MFA_CODE',
  SOFTWARE_TOKEN_MFA: 'SOFTWARE_TOKEN_MFA_CODE',
  EMAIL_OTP: 'EMAIL_OTP_CODE',
  SMS_OTP: 'SMS_OTP_CODE',
};

/**
 * The second factor of a sign-in: which challenge the pool and user call for, sending codes, and
 * checking answers. A wrong code leaves the challenge standing (and counts toward the lockout),
 * so the user can type it again within the session.
 */
export class MfaStep {
  constructor(
    private readonly sessions: SignInSessions,
    private readonly mfa: UserMfa,
    private readonly codes: VerificationCodes,
    private readonly lockout: Lockout,
  ) {}

  /**
   * The MFA challenge this sign-in must answer, or undefined when none applies. `risky`: threat
   * protection asks for the user's factor whatever the pool requires; a user with none sets none up.
   */
  async begin(signIn: SignIn, risky = false): Promise<AuthOutcome | undefined> {
    const { settings } = signIn.context;
    const mode = settings.MfaConfiguration ?? 'OFF';
    if (mode === 'OFF') return undefined;
    const factors = this.mfa.enabledFactors(signIn.user, settings);
    if (factors.length === 0) return mode === 'ON' && !risky ? this.setUp(signIn) : undefined;
    const preferred = this.mfa.preferredFactor(signIn.user);
    if (preferred && factors.includes(preferred)) return this.challenge(signIn, preferred);
    if (factors.length === 1) return this.challenge(signIn, factors[0]!);
    const session = await this.sessions.continue(signIn, 'SELECT_MFA_TYPE');
    return { ChallengeName: 'SELECT_MFA_TYPE', Session: session, ChallengeParameters: { MFAS_CAN_CHOOSE: JSON.stringify(factors) } };
  }

  /** SELECT_MFA_TYPE answered with one of the offered factors. */
  async select(signIn: SignIn, session: AuthSessionRecord, responses: Record<string, string>): Promise<AuthOutcome> {
    const answer = parameterOf(responses, 'ANSWER');
    const factors = this.mfa.enabledFactors(signIn.user, signIn.context.settings);
    if (answer === undefined || !factors.includes(answer as MfaFactor)) {
      await this.sessions.restore(session);
      throw invalidParameter('Invalid MFA type selected.');
    }
    return this.challenge(signIn, answer as MfaFactor);
  }

  /** True when the answer proves the factor; a wrong answer puts the session back and is refused. */
  async answer(signIn: SignIn, session: AuthSessionRecord, factor: CodeFactor, responses: Record<string, string>): Promise<void> {
    const code = parameterOf(responses, ANSWER_KEY[factor]);
    if (code === undefined) {
      // A malformed answer is refused before anything is checked, so the challenge still stands.
      await this.sessions.restore(session);
      throw invalidParameter(`Missing required parameter ${ANSWER_KEY[factor]}`);
    }
    const totp = factor === 'SOFTWARE_TOKEN_MFA';
    let outcome = 'wrong' as 'valid' | 'wrong' | 'reused' | 'expired';
    // Only a wrong code is a guess: a spent one is what the app showed, and the user waits for the next.
    await this.lockout.attempt(signIn.user, async () => {
      outcome = totp ? await this.mfa.checkTotpForSignIn(signIn.user, code) : await this.checkCode(signIn.user, code);
      return outcome !== 'wrong';
    });
    if (outcome === 'valid') return;
    if (outcome === 'expired') throw notAuthorized('Invalid session for the user, session is expired.');
    await this.sessions.restore(session);
    if (outcome === 'reused') throw new CognitoError('ExpiredCodeException', 'Your software token has already been used once.');
    throw totp ? new CognitoError('CodeMismatchException', 'Invalid code received for user') : CODE_MISMATCH();
  }

  private async checkCode(user: UserRecord, code: string): Promise<'valid' | 'wrong' | 'expired'> {
    const check = await this.codes.check(user, CODE_PURPOSE, code);
    if (check.outcome === 'valid') return 'valid';
    return check.outcome === 'wrong' ? 'wrong' : 'expired';
  }

  /** A code challenge: for MFA, or as USER_AUTH's first factor (EMAIL_OTP, SMS_OTP), which the same answer proves. */
  async challenge(signIn: SignIn, factor: CodeFactor): Promise<AuthOutcome> {
    const parameters = factor === 'SOFTWARE_TOKEN_MFA' ? {} : await this.sendCode(signIn, factor);
    const session = await this.sessions.continue(signIn, factor);
    return { ChallengeName: factor as ChallengeNameType, Session: session, ChallengeParameters: parameters };
  }

  private async sendCode(signIn: SignIn, factor: 'SMS_MFA' | 'SMS_OTP' | 'EMAIL_OTP'): Promise<Record<string, string>> {
    const { settings } = signIn.context;
    const email = factor === 'EMAIL_OTP';
    const emailSettings = settings.EmailMfaConfiguration;
    const delivery = await this.codes.sendWith(settings, signIn.user, CODE_PURPOSE, email ? 'email' : 'phone_number', 'Authentication', signIn.caller, {
      message: (email ? emailSettings?.Message : settings.SmsAuthenticationMessage) ?? DEFAULT_SMS_MESSAGE,
      subject: emailSettings?.Subject ?? DEFAULT_EMAIL_SUBJECT,
      lifetimeMs: CODE_LIFETIME_MS,
    });
    return { CODE_DELIVERY_DELIVERY_MEDIUM: delivery.DeliveryMedium!, CODE_DELIVERY_DESTINATION: delivery.Destination! };
  }

  /** MFA is required and the user has no factor: TOTP is set up inside the sign-in. */
  private async setUp(signIn: SignIn): Promise<AuthOutcome> {
    const session = await this.sessions.continue(signIn, 'MFA_SETUP');
    return { ChallengeName: 'MFA_SETUP', Session: session, ChallengeParameters: { MFAS_CAN_SETUP: JSON.stringify(this.mfa.factorsUserCanSetUp(signIn.context.settings)) } };
  }
}
