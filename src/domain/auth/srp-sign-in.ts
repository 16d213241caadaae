import { randomBytes } from 'node:crypto';
import type { Clock } from '../../clock.js';
import type { AuthSessionRecord, UserRecord } from '../../storage/types.js';
import type { AppClient } from '../clients/app-clients.js';
import type { Devices } from '../devices/devices.js';
import { invalidParameter, notAuthorized } from '../errors.js';
import type { SecretBox } from '../keys/secret-box.js';
import { poolNameOf, type PasswordCredentials } from '../passwords/credentials.js';
import { checkPasswordClaim, isAcceptableA, isAcceptableTimestamp, startServerExchange } from '../srp/srp.js';
import { userNotFound, type Users } from '../users/users.js';
import { checkSecretHash } from './client-checks.js';
import type { Lockout } from './lockout.js';
import { beforeFirstFactor, checkHasPassword, INCORRECT_PASSWORD, parameterOf, type AuthOutcome, type SignIn } from './sign-in.js';
import type { Caller } from '../triggers/caller.js';
import type { UserTriggers } from '../triggers/user-triggers.js';
import type { SignInCompletion } from './sign-in-completion.js';
import { newSecretBlock, type SignInSessions } from './sign-in-sessions.js';

/** How far a client's TIMESTAMP may be from the server's clock. */
const TIMESTAMP_TOLERANCE_MS = 5 * 60_000;

/** What the server keeps between SRP's challenge and the client's proof. */
interface ExchangeState {
  srpA: string;
  bHex: string;
  BHex: string;
  deviceKey?: string;
}

/** An unknown user's challenge: a verifier nobody's password matches, under the name the client was given. */
interface DecoyState extends ExchangeState {
  decoy: true;
  userId: string;
  verifierHex: string;
}

/** Whether a PASSWORD_VERIFIER session is an unknown user's decoy. */
export const isDecoy = (session: AuthSessionRecord): boolean => (session.state as Partial<DecoyState>).decoy === true;

/**
 * USER_SRP_AUTH and the device's SRP (DEVICE_SRP_AUTH): the password, or the device's secret,
 * is proven without being sent. The SECRET_BLOCK names the stored exchange, since clients
 * answer PASSWORD_VERIFIER without a Session.
 */
export class SrpSignIn {
  constructor(
    private readonly sessions: SignInSessions,
    private readonly users: Users,
    private readonly credentials: PasswordCredentials,
    private readonly devices: Devices,
    private readonly lockout: Lockout,
    private readonly completion: SignInCompletion,
    private readonly secrets: SecretBox,
    private readonly clock: Clock,
    private readonly triggers: UserTriggers,
  ) {}

  async start(client: AppClient, parameters: Record<string, string>, caller: Caller): Promise<AuthOutcome> {
    const username = required(parameters, 'USERNAME');
    const srpA = required(parameters, 'SRP_A');
    checkSecretHash(client, username, parameterOf(parameters, 'SECRET_HASH'));
    if (!isAcceptableA(srpA)) throw invalidParameter('Invalid SRP_A.');
    const context = await this.users.poolContext(client.poolId);
    const user = await this.users.find(context, username);
    const verifier = user && this.credentials.srpVerifierOf(user);
    // A user with a password but no verifier yet (an imported hash) goes on, to be refused as a wrong proof is.
    if (!user || (!verifier && user.passwordHash === null && user.status !== 'RESET_REQUIRED')) {
      if (client.settings.PreventUserExistenceErrors !== 'ENABLED') throw userNotFound();
      await beforeFirstFactor(this.triggers, context, client, username, undefined, caller);
      return this.decoy(client, srpA, username, context.names.usernameAttributes.length > 0);
    }
    await beforeFirstFactor(this.triggers, context, client, username, user, caller);
    checkHasPassword(user, client.settings.PreventUserExistenceErrors === 'ENABLED');
    return this.challengePassword(client, user, srpA, { deviceKey: parameterOf(parameters, 'DEVICE_KEY') });
  }

  /** SRP's PASSWORD_VERIFIER challenge for a known user; `carried` rides along in the session (a custom sequence's rounds). */
  async challengePassword(client: AppClient, user: UserRecord, srpA: string, carried: Record<string, unknown>): Promise<AuthOutcome> {
    const verifier = this.credentials.srpVerifierOf(user);
    if (!verifier) throw notAuthorized(INCORRECT_PASSWORD);
    const { bHex, BHex } = startServerExchange(verifier.verifierHex);
    const state: ExchangeState = { srpA, bHex, BHex };
    const secretBlock = await this.sessions.start(client, user, 'PASSWORD_VERIFIER', { ...carried, ...state }, newSecretBlock());
    return {
      ChallengeName: 'PASSWORD_VERIFIER',
      ChallengeParameters: { SALT: verifier.saltHex, SRP_B: BHex, SECRET_BLOCK: secretBlock, USER_ID_FOR_SRP: user.username, USERNAME: user.username },
    };
  }

  /** PASSWORD_VERIFIER answered: the proof, under the same lockout as a password. */
  async answerPassword(signIn: SignIn, session: AuthSessionRecord, responses: Record<string, string>): Promise<AuthOutcome> {
    await this.provePassword(signIn, session, responses);
    return this.completion.afterPassword(signIn);
  }

  /** The proof checked, or NotAuthorizedException; it counts towards the lockout either way. */
  async provePassword(signIn: SignIn, session: AuthSessionRecord, responses: Record<string, string>): Promise<void> {
    const { user } = signIn;
    const verifier = this.credentials.srpVerifierOf(user);
    await this.lockout.password(
      user,
      () => verifier !== undefined && this.proves(responses, session, { poolName: poolNameOf(user.poolId), userId: user.username, verifierHex: verifier.verifierHex }),
    );
  }

  /** DEVICE_SRP_AUTH answered with the device's SRP_A: the device's own challenge. */
  async challengeDevice(signIn: SignIn, session: AuthSessionRecord, responses: Record<string, string>): Promise<AuthOutcome> {
    const deviceKey = required(responses, 'DEVICE_KEY');
    const srpA = required(responses, 'SRP_A');
    if (deviceKey !== (session.state as { deviceKey?: string }).deviceKey) throw notAuthorized('Invalid device key given.');
    if (!isAcceptableA(srpA)) throw invalidParameter('Invalid SRP_A.');
    const device = await this.devices.ofUser(signIn.user, deviceKey);
    const verifier = this.devices.verifierOf(device);
    if (!verifier) throw notAuthorized('Invalid device key given.');
    const { bHex, BHex } = startServerExchange(verifier.verifierHex);
    const state: ExchangeState = { srpA, bHex, BHex, deviceKey };
    const secretBlock = await this.sessions.continue(signIn, 'DEVICE_PASSWORD_VERIFIER', { ...state }, newSecretBlock());
    return {
      ChallengeName: 'DEVICE_PASSWORD_VERIFIER',
      Session: secretBlock,
      ChallengeParameters: { SALT: verifier.saltHex, SRP_B: BHex, SECRET_BLOCK: secretBlock, USERNAME: signIn.user.username, DEVICE_KEY: deviceKey },
    };
  }

  /** DEVICE_PASSWORD_VERIFIER answered: a proven device gets tokens bound to it. */
  async answerDevice(signIn: SignIn, session: AuthSessionRecord, responses: Record<string, string>): Promise<AuthOutcome> {
    const { deviceKey } = session.state as unknown as ExchangeState;
    const device = await this.devices.ofUser(signIn.user, deviceKey!);
    const verifier = this.devices.verifierOf(device);
    const proven = verifier !== undefined && this.proves(responses, session, { poolName: device.groupKey, userId: device.deviceKey, verifierHex: verifier.verifierHex });
    if (!proven) throw notAuthorized(INCORRECT_PASSWORD);
    await this.devices.recordAuthentication(device, signIn.sourceIp);
    return this.completion.issueTokens({ ...signIn, completedBy: 'AuthenticateDevice' }, device);
  }

  private proves(responses: Record<string, string>, session: AuthSessionRecord, who: { poolName: string; userId: string; verifierHex: string }): boolean {
    const state = session.state as unknown as ExchangeState;
    const timestamp = required(responses, 'TIMESTAMP');
    const signature = required(responses, 'PASSWORD_CLAIM_SIGNATURE');
    if (!isAcceptableTimestamp(timestamp, this.clock.now(), TIMESTAMP_TOLERANCE_MS)) return false;
    return checkPasswordClaim({ ...who, bHex: state.bHex, BHex: state.BHex, srpA: state.srpA, secretBlock: session.id, timestamp, signature });
  }

  /**
   * With PreventUserExistenceErrors an unknown user gets a challenge like anyone's, with a salt
   * that stays the same for the name, so probing cannot tell who has an account. It is stored and
   * answered like a real one (the same reads, the same modular exponentiations), so the answer
   * does not come back sooner either.
   */
  private async decoy(client: AppClient, srpA: string, username: string, usernameIsSub: boolean): Promise<AuthOutcome> {
    const digest = this.secrets.digest(`srp-decoy:${client.poolId}:${username}`);
    const salt = digest.subarray(0, 16).toString('hex');
    const sub = uuidOf(digest.subarray(16, 32));
    // Where usernames are subs, a real user's USER_ID_FOR_SRP is a UUID, so the decoy's is one too.
    const userId = usernameIsSub ? sub : username;
    const verifierHex = randomBytes(384).toString('hex');
    const { bHex, BHex } = startServerExchange(verifierHex);
    const state: DecoyState = { decoy: true, srpA, bHex, BHex, userId, verifierHex };
    const secretBlock = await this.sessions.start(client, { sub }, 'PASSWORD_VERIFIER', { ...state }, newSecretBlock());
    return {
      ChallengeName: 'PASSWORD_VERIFIER',
      ChallengeParameters: { SALT: salt, SRP_B: BHex, SECRET_BLOCK: secretBlock, USER_ID_FOR_SRP: userId, USERNAME: userId },
    };
  }

  /** A decoy answered: looked up, used up and checked as a real answer is, and wrong, as it must be. */
  async answerDecoy(client: AppClient, session: AuthSessionRecord, responses: Record<string, string>): Promise<never> {
    const username = required(responses, 'USERNAME');
    await this.users.find(await this.users.poolContext(client.poolId), username);
    checkSecretHash(client, username, parameterOf(responses, 'SECRET_HASH'));
    await this.sessions.consume(session.id);
    const { userId, verifierHex } = session.state as unknown as DecoyState;
    this.proves(responses, session, { poolName: poolNameOf(client.poolId), userId, verifierHex });
    throw notAuthorized(INCORRECT_PASSWORD);
  }
}

/** A version-4-shaped UUID from 16 bytes. */
function uuidOf(bytes: Buffer): string {
  const hex = Buffer.from(bytes);
  hex[6] = (hex[6]! & 0x0f) | 0x40;
  hex[8] = (hex[8]! & 0x3f) | 0x80;
  const text = hex.toString('hex');
  return `${text.slice(0, 8)}-${text.slice(8, 12)}-${text.slice(12, 16)}-${text.slice(16, 20)}-${text.slice(20)}`;
}

function required(parameters: Record<string, string>, name: string): string {
  const value = parameterOf(parameters, name);
  if (value === undefined) throw invalidParameter(`Missing required parameter ${name}`);
  return value;
}
