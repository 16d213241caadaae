import type { AuthSessionRecord, Storage, UserRecord } from '../../storage/types.js';
import type { AppClient, AppClients } from '../clients/app-clients.js';
import { authFlowsOf } from '../clients/client-settings.js';
import { CognitoError, invalidParameter, notAuthorized } from '../errors.js';
import type { PasswordCredentials } from '../passwords/credentials.js';
import { ADMIN_SCOPE, type IssuedTokens, type Tokens } from '../tokens/tokens.js';
import { userNotFound, type PoolContext, type Users } from '../users/users.js';
import { checkClientSecret, checkFlowAllowed, checkSecretHash } from './client-checks.js';
import type { Lockout } from './lockout.js';
import type { CodeFactor, MfaStep } from './mfa-step.js';
import { AUTO_SIGN_IN, type UserAuth } from './user-auth.js';
import type { RefreshFlow } from './refresh-flow.js';
import { AuthEvents, type SignInRating } from './auth-events.js';
import { beforeFirstFactor, checkHasPassword, INCORRECT_PASSWORD, parameterOf, type AuthOutcome, type SignIn } from './sign-in.js';
import type { Caller } from '../triggers/caller.js';
import type { UserTriggers } from '../triggers/user-triggers.js';
import type { SignInCompletion } from './sign-in-completion.js';
import type { SignInSessions } from './sign-in-sessions.js';
import { isUnknownUserSession, type ChallengeResult, type CustomAuth } from './custom-auth.js';
import { isDecoy, type SrpSignIn } from './srp-sign-in.js';

export type { AuthOutcome } from './sign-in.js';

export interface AuthRequest {
  clientId: string;
  /** Given by the Admin* operations, which must name the client's pool. */
  poolId?: string;
  flow: string;
  parameters: Record<string, string>;
  sourceIp?: string;
  /** The user agent, and an address the caller vouches for: ContextData (admin) or UserContextData. */
  context?: SignInContext;
  caller: Caller;
  /** USER_AUTH's Session from ConfirmSignUp: sign in without another factor. */
  session?: string;
}

export interface ChallengeAnswer {
  clientId: string;
  poolId?: string;
  challenge: string;
  session: string | undefined;
  responses: Record<string, string>;
  sourceIp?: string;
  context?: SignInContext;
  caller: Caller;
  /** Answered on the managed login pages; their sessions and the API's never stand in for each other. */
  hosted?: true;
}

/** Where a sign-in comes from beyond the socket's address. */
export interface SignInContext {
  /** The user's address as the app's server saw it (ContextData.IpAddress, UserContextData.IpAddress). */
  ipAddress?: string;
  /** The user's browser or app (a User-Agent). */
  deviceName?: string;
}

type ChallengeHandler = (signIn: SignIn, session: AuthSessionRecord, responses: Record<string, string>) => Promise<AuthOutcome>;

/** The challenges that prove a second factor, as AuthEventType's `Mfa`. */
const MFA_CHALLENGES = new Set(['SMS_MFA', 'SOFTWARE_TOKEN_MFA', 'EMAIL_OTP', 'SELECT_MFA_TYPE', 'MFA_SETUP']);

const PUBLIC_FLOWS = new Set(['USER_PASSWORD_AUTH', 'USER_SRP_AUTH', 'REFRESH_TOKEN_AUTH', 'REFRESH_TOKEN', 'CUSTOM_AUTH', 'USER_AUTH']);
const ADMIN_FLOWS = new Set(['ADMIN_USER_PASSWORD_AUTH', 'ADMIN_NO_SRP_AUTH', 'USER_SRP_AUTH', 'REFRESH_TOKEN_AUTH', 'REFRESH_TOKEN', 'CUSTOM_AUTH', 'USER_AUTH']);

/** Challenges answered with a proof over SRP's SECRET_BLOCK, which names their session. */
const PROOF_CHALLENGES = new Set(['PASSWORD_VERIFIER', 'DEVICE_PASSWORD_VERIFIER']);
const SESSION_EXPIRED = 'Invalid session for the user, session is expired.';
const SESSION_USED = 'Invalid session for the user, session can only be used once.';

/** Refusals of what an answer says, which the user can put right in the same session. */
const CORRECTABLE = new Set(['InvalidPasswordException', 'InvalidParameterException', 'AliasExistsException']);

/** What sign-in is made of; services.ts puts it together. */
export interface SignInParts {
  storage: Storage;
  clients: AppClients;
  users: Users;
  tokens: Tokens;
  credentials: PasswordCredentials;
  sessions: SignInSessions;
  lockout: Lockout;
  mfa: MfaStep;
  completion: SignInCompletion;
  srp: SrpSignIn;
  refreshing: RefreshFlow;
  triggers: UserTriggers;
  customAuth: CustomAuth;
  userAuth: UserAuth;
  events: AuthEvents;
}

/**
 * Sign-in as a persisted state machine: a flow proves the first factor and either issues tokens
 * or stores a session for the challenge that must be answered next; each answer moves it on.
 */
export class Authentication {
  private readonly storage: Storage;
  private readonly clients: AppClients;
  private readonly users: Users;
  private readonly tokens: Tokens;
  private readonly credentials: PasswordCredentials;
  private readonly sessions: SignInSessions;
  private readonly lockout: Lockout;
  private readonly completion: SignInCompletion;
  private readonly mfa: MfaStep;
  private readonly srp: SrpSignIn;
  private readonly refreshing: RefreshFlow;
  private readonly triggers: UserTriggers;
  private readonly customAuth: CustomAuth;
  private readonly userAuth: UserAuth;
  private readonly events: AuthEvents;
  private readonly challenges: Record<string, ChallengeHandler>;

  constructor(parts: SignInParts) {
    ({
      storage: this.storage,
      clients: this.clients,
      users: this.users,
      tokens: this.tokens,
      credentials: this.credentials,
      sessions: this.sessions,
      lockout: this.lockout,
      mfa: this.mfa,
      completion: this.completion,
      srp: this.srp,
      refreshing: this.refreshing,
      triggers: this.triggers,
      customAuth: this.customAuth,
      userAuth: this.userAuth,
      events: this.events,
    } = parts);
    this.challenges = {
      PASSWORD_VERIFIER: (signIn, session, responses) => this.passwordVerifier(signIn, session, responses),
      CUSTOM_CHALLENGE: (signIn, session, responses) => this.customAuth.answer(signIn, session, responses),
      DEVICE_SRP_AUTH: (signIn, session, responses) => this.srp.challengeDevice(signIn, session, responses),
      DEVICE_PASSWORD_VERIFIER: (signIn, session, responses) => this.srp.answerDevice(signIn, session, responses),
      NEW_PASSWORD_REQUIRED: (signIn, session, responses) => this.retryable(session, () => this.completion.completeNewPassword(signIn, responses)),
      SELECT_MFA_TYPE: (signIn, session, responses) => this.mfa.select(signIn, session, responses),
      SMS_MFA: (signIn, session, responses) => this.secondFactor(signIn, session, 'SMS_MFA', responses),
      SOFTWARE_TOKEN_MFA: (signIn, session, responses) => this.secondFactor(signIn, session, 'SOFTWARE_TOKEN_MFA', responses),
      EMAIL_OTP: (signIn, session, responses) => this.secondFactor(signIn, session, 'EMAIL_OTP', responses),
      MFA_SETUP: (signIn, session) => this.completeMfaSetup(signIn, session),
      SELECT_CHALLENGE: (signIn, session, responses) => this.userAuth.select(signIn, session, responses),
      PASSWORD: (signIn, session, responses) => this.userAuth.answerPassword(signIn, session, responses),
      PASSWORD_SRP: (signIn, session, responses) => this.userAuth.answerSrp(signIn, session, responses),
      SMS_OTP: (signIn, session, responses) => this.secondFactor(signIn, session, 'SMS_OTP', responses),
      WEB_AUTHN: (signIn, session, responses) => this.userAuth.answerPasskey(signIn, session, responses),
    };
  }

  async initiate(request: AuthRequest, admin: boolean): Promise<AuthOutcome> {
    const client = await this.clients.forCall(request.clientId, request.poolId);
    if (!(admin ? ADMIN_FLOWS : PUBLIC_FLOWS).has(request.flow)) {
      throw invalidParameter(unsupportedFlowMessage(request.flow));
    }
    if (request.flow.startsWith('REFRESH_TOKEN')) return this.start(client, request);
    const placed = { ...request, ...whereFrom(client, request, admin) };
    const deviceName = request.context?.deviceName;
    const step = { client, factor: 'Password' as const, name: parameterOf(request.parameters, 'USERNAME'), sourceIp: placed.sourceIp, ...(deviceName && { deviceName }) };
    return this.events.signInStep(step, () => this.start(client, placed));
  }

  private async start(client: AppClient, request: AuthRequest): Promise<AuthOutcome> {
    if (request.flow === 'CUSTOM_AUTH') return this.customFlow(client, request);
    checkFlowAllowed(client, request.flow);
    if (request.flow.startsWith('REFRESH_TOKEN')) return this.refreshing.refresh(client, request.parameters, { sourceIp: request.sourceIp ?? null, caller: request.caller });
    if (request.flow === 'USER_SRP_AUTH') return this.srp.start(client, request.parameters, request.caller);
    if (request.flow === 'USER_AUTH') return this.userAuth.start(client, request.parameters, request.session, request.sourceIp ?? null, request.caller);
    return this.password(client, request.parameters, request.sourceIp ?? null, request.caller, request.context?.deviceName);
  }

  async respond(unplaced: ChallengeAnswer): Promise<AuthOutcome> {
    const client = await this.clients.forCall(unplaced.clientId, unplaced.poolId);
    const answer = { ...unplaced, ...whereFrom(client, unplaced, unplaced.poolId !== undefined) };
    const handler = this.challenges[answer.challenge];
    if (!handler) throw invalidParameter(`Gatehouse does not support the ${answer.challenge} challenge yet.`);
    const proof = PROOF_CHALLENGES.has(answer.challenge);
    const sessionId = proof ? parameterOf(answer.responses, 'PASSWORD_CLAIM_SECRET_BLOCK') : answer.session;
    if (sessionId === undefined) throw invalidParameter(proof ? 'Missing required parameter PASSWORD_CLAIM_SECRET_BLOCK' : 'Missing required parameter Session');
    // A wrong or stale proof session looks like a wrong password: an unknown user's decoy challenge ends here too.
    const invalid = async () => notAuthorized(proof ? INCORRECT_PASSWORD : (await this.sessions.wasUsed(sessionId)) ? SESSION_USED : SESSION_EXPIRED);
    const session = await this.sessions.peek(sessionId);
    if (!session || session.clientId !== client.clientId || session.challenge !== answer.challenge) throw await invalid();
    if (isDecoy(session)) return this.srp.answerDecoy(client, session, answer.responses);
    if (isUnknownUserSession(session)) {
      await this.sessions.consume(sessionId);
      throw notAuthorized(INCORRECT_PASSWORD);
    }
    const signIn = await this.signInOf(client, session, answer);
    // Checked before the session is used up: a client told its device is gone retries without it.
    if (!(await this.sessions.consume(sessionId))) throw await invalid();
    const step = {
      client,
      factor: MFA_CHALLENGES.has(answer.challenge) ? ('Mfa' as const) : ('Password' as const),
      name: signIn.user.username,
      sub: signIn.user.sub,
      sourceIp: answer.sourceIp,
      ...(signIn.deviceName && { deviceName: signIn.deviceName }),
      ...(signIn.rating && { rating: signIn.rating }),
    };
    return this.events.signInStep(step, () => handler(signIn, session, answer.responses));
  }

  private async customFlow(client: AppClient, request: AuthRequest): Promise<AuthOutcome> {
    const allowed = authFlowsOf(client.settings);
    if (!allowed.includes('ALLOW_CUSTOM_AUTH') && !allowed.includes('CUSTOM_AUTH_FLOW_ONLY')) throw invalidParameter('CUSTOM_AUTH is not enabled for the client.');
    const context = await this.users.poolContext(client.poolId);
    if (!this.customAuth.isConfigured(context)) throw invalidParameter('Custom auth lambda trigger is not configured for the user pool.');
    return this.customAuth.start(client, context, request.parameters, request.sourceIp ?? null, request.caller);
  }

  /** SRP's proof; inside a custom challenge sequence, the pool's function decides what follows it. */
  private async passwordVerifier(signIn: SignIn, session: AuthSessionRecord, responses: Record<string, string>): Promise<AuthOutcome> {
    const rounds = (session.state as { customRounds?: ChallengeResult[] }).customRounds;
    if (!rounds) return this.srp.answerPassword(signIn, session, responses);
    await this.srp.provePassword(signIn, session, responses);
    return this.customAuth.afterPassword(signIn, rounds);
  }

  /**
   * An answer refused for its content (a password the policy rejects, a missing attribute) puts the
   * session back, so the user can correct it without signing in again.
   */
  private async retryable(session: AuthSessionRecord, answer: () => Promise<AuthOutcome>): Promise<AuthOutcome> {
    try {
      return await answer();
    } catch (error) {
      if (error instanceof CognitoError && CORRECTABLE.has(error.type)) await this.sessions.restore(session);
      throw error;
    }
  }

  /** AssociateSoftwareToken and VerifySoftwareToken during MFA_SETUP: the user the session speaks for. */
  async userOfMfaSetupSession(sessionId: string): Promise<UserRecord> {
    const session = await this.sessions.peek(sessionId);
    const user = session?.challenge === 'MFA_SETUP' ? await this.storage.users.getBySub(session.poolId, session.sub) : undefined;
    if (!user) throw notAuthorized(SESSION_EXPIRED);
    return user;
  }

  /**
   * Once a setup step succeeded, its session is replaced by the one the answer returns, which
   * records the step; a failed step leaves the session as it was, so the user can try again.
   */
  async advanceMfaSetup(sessionId: string, step: 'associated' | 'verified'): Promise<string> {
    const session = await this.sessions.consume(sessionId);
    const client = session && (await this.clients.get(session.poolId, session.clientId).catch(() => undefined));
    const user = session && (await this.storage.users.getBySub(session.poolId, session.sub));
    if (!session || session.challenge !== 'MFA_SETUP' || !client || !user) throw notAuthorized(SESSION_EXPIRED);
    return this.sessions.start(client, user, 'MFA_SETUP', { ...session.state, [step]: true });
  }

  /** The user an access token speaks for, as the access-token operations (GetUser, …) need it. */
  async userOfAccessToken(accessToken: string): Promise<UserRecord> {
    return (await this.holderOfAccessToken(accessToken)).user;
  }

  /** The signed-in user, the app client their access token was issued to, and the sign-in (token family) it belongs to. */
  async holderOfAccessToken(accessToken: string): Promise<{ user: UserRecord; clientId: string; originJti: string }> {
    const { family, claims, holder: user } = await this.tokens.verifyAccessToken(accessToken);
    // An OAuth sign-in's token reaches the user's own operations only if it was granted this scope.
    if (!String(claims.scope ?? '').split(' ').includes(ADMIN_SCOPE)) throw notAuthorized('Access Token does not have required scopes');
    if (!user) throw notAuthorized('Access Token has been revoked');
    if (!user.enabled) throw notAuthorized('User is disabled.');
    return { user, clientId: family.clientId, originJti: family.originJti };
  }

  /** RevokeToken: the client (and its secret) must be the one the refresh token was issued to. */
  async revokeRefreshToken(token: string, clientId: string, clientSecret: string | undefined): Promise<void> {
    const client = await this.clients.forCall(clientId);
    checkClientSecret(client, clientSecret);
    if (client.settings.EnableTokenRevocation === false) {
      throw new CognitoError('UnsupportedTokenTypeException', 'Token revocation is not enabled for this client.');
    }
    await this.tokens.revokeRefreshToken(token, client);
  }

  /** GetTokensFromRefreshToken (Amplify v6's refresh), with the client's refresh-token rotation. */
  async tokensFromRefreshToken(input: { refreshToken: string; clientId: string; clientSecret?: string; deviceKey?: string; caller: Caller; sourceIp: string | null }): Promise<IssuedTokens> {
    const client = await this.clients.forCall(input.clientId);
    checkClientSecret(client, input.clientSecret);
    return this.refreshing.rotatingRefresh(client, input.refreshToken, input.deviceKey, { sourceIp: input.sourceIp, caller: input.caller });
  }

  /** The Session ConfirmSignUp returns: USER_AUTH with it signs the new user in without another code. */
  async autoSignInSession(clientId: string, user: UserRecord): Promise<string> {
    return this.sessions.start(await this.clients.forCall(clientId), user, AUTO_SIGN_IN, {});
  }

  private async secondFactor(signIn: SignIn, session: AuthSessionRecord, factor: CodeFactor, responses: Record<string, string>): Promise<AuthOutcome> {
    await this.mfa.answer(signIn, session, factor, responses);
    // "When a user successfully goes through the SMS text message MFA flow, their phone number is also marked as verified."
    const user = factor === 'SMS_MFA' ? await this.users.markVerified(signIn.context, signIn.user, 'phone_number') : signIn.user;
    // amazon-cognito-identity-js answers a DEVICE_SRP_AUTH that follows MFA with the MFA's Session.
    return this.completion.afterUserProven({ ...signIn, user }, true, session.id);
  }

  /** MFA_SETUP answered after VerifySoftwareToken succeeded with this sign-in's session. */
  private async completeMfaSetup(signIn: SignIn, session: AuthSessionRecord): Promise<AuthOutcome> {
    if (session.state.verified !== true) {
      await this.sessions.restore(session);
      throw notAuthorized(SESSION_EXPIRED);
    }
    return this.completion.afterUserProven(signIn, true);
  }

  /** USER_PASSWORD_AUTH and ADMIN_USER_PASSWORD_AUTH: the password, then the rest of the sign-in. */
  private async password(client: AppClient, parameters: Record<string, string>, sourceIp: string | null, caller: Caller, deviceName: string | undefined): Promise<AuthOutcome> {
    const username = parameterOf(parameters, 'USERNAME');
    const password = parameterOf(parameters, 'PASSWORD');
    if (username === undefined) throw invalidParameter('Missing required parameter USERNAME');
    if (password === undefined) throw invalidParameter('Missing required parameter PASSWORD');
    checkSecretHash(client, username, parameterOf(parameters, 'SECRET_HASH'));
    return this.passwordSignIn({ client, username, password, deviceKey: parameterOf(parameters, 'DEVICE_KEY'), sourceIp, caller, deviceName });
  }

  /**
   * The managed login page's sign-in: the password checked exactly as the API's password flow
   * checks it (migration, triggers, lockout, challenges), whatever API flows the client allows, and
   * ending in the signed-in user rather than tokens.
   */
  async hostedSignIn(input: { clientId: string; username: string; password: string; sourceIp: string | null; caller: Caller }): Promise<AuthOutcome> {
    const client = await this.clients.forCall(input.clientId);
    // An event as InitiateAuth's password step makes: the page is the same sign-in, in a browser.
    const step = { client, factor: 'Password' as const, name: input.username, sourceIp: input.sourceIp };
    return this.events.signInStep(step, () => this.passwordSignIn({ ...input, client, deviceKey: undefined, hosted: true }));
  }

  /** The managed login's passkey button: USER_AUTH's WEB_AUTHN challenge for the user, answered on the page. */
  hostedPasskeySignIn(input: { clientId: string; username: string; sourceIp: string | null; caller: Caller }): Promise<AuthOutcome> {
    return this.clients
      .forCall(input.clientId)
      .then((client) => this.userAuth.start(client, { USERNAME: input.username, PREFERRED_CHALLENGE: 'WEB_AUTHN' }, undefined, input.sourceIp, input.caller, true));
  }

  private async passwordSignIn(input: {
    client: AppClient;
    username: string;
    password: string;
    deviceKey: string | undefined;
    sourceIp: string | null;
    caller: Caller;
    deviceName?: string | undefined;
    hosted?: true;
  }): Promise<AuthOutcome> {
    const { client, username, password, caller } = input;
    const context = await this.users.poolContext(client.poolId);
    const user = (await this.users.find(context, username)) ?? (await this.migrate(context, client, username, password, caller));
    const hidesUsers = client.settings.PreventUserExistenceErrors === 'ENABLED';
    if (!user || (user.passwordHash === null && user.status !== 'RESET_REQUIRED')) {
      await beforeFirstFactor(this.triggers, context, client, username, undefined, caller);
      await this.credentials.dummyVerify(password);
      throw hidesUsers ? notAuthorized(INCORRECT_PASSWORD) : userNotFound();
    }
    await beforeFirstFactor(this.triggers, context, client, username, user, caller);
    checkHasPassword(user, hidesUsers);
    await this.lockout.password(user, () => this.credentials.verify(user, password));
    const proven = await this.users.refreshCredentials(context, user, password);
    const { deviceKey, sourceIp, deviceName, hosted } = input;
    return this.completion.afterPassword({ context, client, user: proven, deviceKey, sourceIp, caller, ...(deviceName && { deviceName }), ...(hosted && { hosted }) }, password);
  }

  /**
   * A name nobody has, on a pool with a migration function: the user as the old system knows them,
   * who then signs in on this same request. A function that does not know them refuses by throwing.
   */
  private async migrate(context: PoolContext, client: AppClient, username: string, password: string, caller: Caller): Promise<UserRecord | undefined> {
    try {
      return await this.users.migrate(context, username, password, 'Authentication', { ...caller, clientId: client.clientId });
    } catch (error) {
      if (!(error instanceof CognitoError) || error.type !== 'UserLambdaValidationException') throw error;
      if (client.settings.PreventUserExistenceErrors === 'ENABLED') throw notAuthorized(INCORRECT_PASSWORD);
      throw new CognitoError('UserNotFoundException', `Exception migrating user in app client ${client.clientId}`);
    }
  }

  /** The sign-in a session continues; the USERNAME and any SECRET_HASH and DEVICE_KEY must fit it. */
  private async signInOf(client: AppClient, session: AuthSessionRecord, answer: ChallengeAnswer): Promise<SignIn> {
    const context = await this.users.poolContext(client.poolId);
    const user = await this.storage.users.getBySub(client.poolId, session.sub);
    if (!user) throw userNotFound();
    const username = parameterOf(answer.responses, 'USERNAME');
    if (username === undefined) throw invalidParameter('Missing required parameter USERNAME');
    if ((await this.users.find(context, username))?.sub !== user.sub) throw notAuthorized(SESSION_EXPIRED);
    const hosted = (session.state as { hosted?: boolean }).hosted === true;
    if (hosted !== (answer.hosted === true)) throw notAuthorized(SESSION_EXPIRED);
    if (!hosted) checkSecretHash(client, username, parameterOf(answer.responses, 'SECRET_HASH'));
    // A DEVICE_KEY in the answer, even a null one, replaces the one the sign-in started with.
    const deviceKey = 'DEVICE_KEY' in answer.responses ? parameterOf(answer.responses, 'DEVICE_KEY') : (session.state as { deviceKey?: string }).deviceKey;
    const carried = session.state as { rating?: SignInRating; deviceName?: string };
    const { rating } = carried;
    const deviceName = answer.context?.deviceName ?? carried.deviceName;
    const signIn: SignIn = {
      context,
      client,
      user,
      deviceKey,
      sourceIp: answer.sourceIp ?? null,
      caller: answer.caller,
      ...(hosted && { hosted: true }),
      ...(rating && { rating }),
      ...(deviceName && { deviceName }),
    };
    await this.completion.checkDevice(signIn);
    return signIn;
  }
}

/**
 * The address and device a sign-in is rated and recorded with. An admin call's ContextData names
 * the user's address (the caller is the app's server); a public call's UserContextData may, where
 * the client propagates additional user context data, as Cognito allows only then.
 */
function whereFrom(client: AppClient, request: { sourceIp?: string; context?: SignInContext }, admin: boolean): { sourceIp?: string } {
  const vouched = admin || client.settings.EnablePropagateAdditionalUserContextData === true;
  const sourceIp = (vouched && request.context?.ipAddress) || request.sourceIp;
  return sourceIp === undefined ? {} : { sourceIp };
}

/** Cognito's answer to a flow this operation or this server does not run. */
function unsupportedFlowMessage(flow: string): string {
  if (PUBLIC_FLOWS.has(flow) || ADMIN_FLOWS.has(flow)) return 'Initiate Auth method not supported.';
  return `Gatehouse does not support the ${flow} flow yet.`;
}
