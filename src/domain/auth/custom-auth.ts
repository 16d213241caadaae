import type { AuthSessionRecord, UserRecord } from '../../storage/types.js';
import type { AppClient } from '../clients/app-clients.js';
import { invalidParameter, notAuthorized } from '../errors.js';
import type { Caller } from '../triggers/caller.js';
import { eventAttributes } from '../triggers/event-attributes.js';
import type { Triggers } from '../triggers/triggers.js';
import type { UserTriggers } from '../triggers/user-triggers.js';
import { userNotFound, type PoolContext, type Users } from '../users/users.js';
import { checkSecretHash } from './client-checks.js';
import { beforeFirstFactor, INCORRECT_PASSWORD, parameterOf, type AuthOutcome, type SignIn } from './sign-in.js';
import type { SignInCompletion } from './sign-in-completion.js';
import type { SignInSessions } from './sign-in-sessions.js';
import type { SrpSignIn } from './srp-sign-in.js';

/** One challenge of the sequence so far, as the challenge triggers see it in `request.session`. */
export interface ChallengeResult {
  challengeName: string;
  challengeResult: boolean;
  challengeMetadata?: string;
}

/** What a CUSTOM_CHALLENGE session keeps between its challenge and the answer. */
interface CustomState {
  rounds: ChallengeResult[];
  privateChallengeParameters: Record<string, string>;
  challengeMetadata?: string;
  deviceKey?: string;
}

/** An unknown user's sequence runs in a session of its own, which no answer can complete. */
const UNKNOWN_USER = 'unknown:';
/** Who a challenge for a name nobody has is issued to: its session names no stored user. */
export const unknownUserOf = (username: string) => ({ sub: `${UNKNOWN_USER}${username}` });
export const isUnknownUserSession = (session: AuthSessionRecord): boolean => session.sub.startsWith(UNKNOWN_USER);

/** A sequence that goes on this long is a function that never decides; Cognito's session would have expired. */
const MAX_ROUNDS = 30;

/**
 * CUSTOM_AUTH: the pool's DefineAuthChallenge function decides, after each answer, whether to
 * issue tokens, fail, or ask again; CreateAuthChallenge makes each custom challenge and
 * VerifyAuthChallengeResponse judges each answer. With SRP_A at the start, the function may ask
 * for the password by SRP first (PASSWORD_VERIFIER), as amazon-cognito-identity-js does.
 */
export class CustomAuth {
  constructor(
    private readonly triggers: Triggers,
    private readonly userTriggers: UserTriggers,
    private readonly users: Users,
    private readonly sessions: SignInSessions,
    private readonly completion: SignInCompletion,
    private readonly srp: SrpSignIn,
  ) {}

  /** Whether the pool can run the flow at all. */
  isConfigured(context: PoolContext): boolean {
    return this.triggers.has(context.pool, 'DefineAuthChallenge');
  }

  async start(client: AppClient, context: PoolContext, parameters: Record<string, string>, sourceIp: string | null, caller: Caller): Promise<AuthOutcome> {
    const username = parameterOf(parameters, 'USERNAME');
    if (username === undefined) throw invalidParameter('Missing required parameter USERNAME');
    checkSecretHash(client, username, parameterOf(parameters, 'SECRET_HASH'));
    const user = await this.users.find(context, username);
    if (!user && client.settings.PreventUserExistenceErrors !== 'ENABLED') throw userNotFound();
    await beforeFirstFactor(this.userTriggers, context, client, username, user, caller);
    const srpA = parameterOf(parameters, 'SRP_A');
    const rounds: ChallengeResult[] = srpA !== undefined ? [{ challengeName: 'SRP_A', challengeResult: true }] : [];
    const signIn = { context, client, user, username, deviceKey: parameterOf(parameters, 'DEVICE_KEY'), sourceIp, caller };
    return this.next(signIn, rounds, srpA);
  }

  /** CUSTOM_CHALLENGE answered: the verdict joins the sequence, and the define function decides again. */
  async answer(signIn: SignIn, session: AuthSessionRecord, responses: Record<string, string>): Promise<AuthOutcome> {
    const state = session.state as unknown as CustomState;
    const answer = parameterOf(responses, 'ANSWER');
    if (answer === undefined) throw invalidParameter('Missing required parameter ANSWER');
    const response = await this.triggers.run(signIn.context.pool, {
      trigger: 'VerifyAuthChallengeResponse',
      source: 'VerifyAuthChallengeResponse_Authentication',
      userName: signIn.user.username,
      caller: signIn.caller,
      request: {
        userAttributes: eventAttributes(signIn.user),
        privateChallengeParameters: state.privateChallengeParameters,
        challengeAnswer: answer,
        clientMetadata: signIn.caller.clientMetadata ?? {},
      },
      response: { answerCorrect: false },
    });
    const round: ChallengeResult = { challengeName: 'CUSTOM_CHALLENGE', challengeResult: response?.answerCorrect === true, ...(state.challengeMetadata !== undefined && { challengeMetadata: state.challengeMetadata }) };
    return this.next({ ...signIn, username: signIn.user.username }, [...state.rounds, round]);
  }

  /** The password proven by SRP inside a custom sequence: the define function decides what follows. */
  afterPassword(signIn: SignIn, rounds: ChallengeResult[]): Promise<AuthOutcome> {
    return this.next({ ...signIn, username: signIn.user.username }, [...rounds, { challengeName: 'PASSWORD_VERIFIER', challengeResult: true }]);
  }

  private async next(signIn: Omit<SignIn, 'user'> & { user: UserRecord | undefined; username: string }, rounds: ChallengeResult[], srpA?: string): Promise<AuthOutcome> {
    if (rounds.length > MAX_ROUNDS) throw notAuthorized(INCORRECT_PASSWORD);
    const { context, user, caller } = signIn;
    const common = {
      userName: user?.username ?? signIn.username,
      caller,
    };
    const request = (extra: Record<string, unknown>) => ({
      userAttributes: user ? eventAttributes(user) : {},
      session: rounds,
      clientMetadata: caller.clientMetadata ?? {},
      ...(!user && { userNotFound: true }),
      ...extra,
    });
    const decision = await this.triggers.run(context.pool, {
      ...common,
      trigger: 'DefineAuthChallenge',
      source: 'DefineAuthChallenge_Authentication',
      request: request({}),
      response: { challengeName: null, issueTokens: false, failAuthentication: false },
    });
    if (decision?.failAuthentication === true || !decision) throw notAuthorized(INCORRECT_PASSWORD);
    if (decision.issueTokens === true) {
      if (!user) throw notAuthorized(INCORRECT_PASSWORD);
      return this.completion.afterCustomChallenges({ ...signIn, user });
    }
    const challengeName = decision.challengeName as string | undefined;
    if (challengeName === 'PASSWORD_VERIFIER' && srpA !== undefined) {
      if (!user) throw notAuthorized(INCORRECT_PASSWORD);
      return this.srp.challengePassword(signIn.client, user, srpA, { customRounds: rounds, deviceKey: signIn.deviceKey });
    }
    if (challengeName !== 'CUSTOM_CHALLENGE') throw notAuthorized(INCORRECT_PASSWORD);
    const created = await this.triggers.run(context.pool, {
      ...common,
      trigger: 'CreateAuthChallenge',
      source: 'CreateAuthChallenge_Authentication',
      request: request({ challengeName }),
      response: { publicChallengeParameters: {}, privateChallengeParameters: {}, challengeMetadata: null },
    });
    if (!created) throw invalidParameter('Custom auth lambda trigger is not configured for the user pool.');
    const state: CustomState = {
      rounds,
      privateChallengeParameters: (created.privateChallengeParameters as Record<string, string> | undefined) ?? {},
      ...(typeof created.challengeMetadata === 'string' && { challengeMetadata: created.challengeMetadata }),
      ...(signIn.deviceKey !== undefined && { deviceKey: signIn.deviceKey }),
    };
    const session = await this.sessions.start(signIn.client, user ?? unknownUserOf(signIn.username), 'CUSTOM_CHALLENGE', { ...state });
    const publicParameters = (created.publicChallengeParameters as Record<string, string> | undefined) ?? {};
    return { ChallengeName: 'CUSTOM_CHALLENGE', Session: session, ChallengeParameters: { ...publicParameters, USERNAME: user?.username ?? signIn.username } };
  }
}
