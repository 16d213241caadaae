import { randomBytes } from 'node:crypto';
import type { ChallengeNameType } from '@aws-sdk/client-cognito-identity-provider';
import type { Clock } from '../../clock.js';
import type { ClientRecord, Storage, UserRecord } from '../../storage/types.js';
import type { AppClients } from '../clients/app-clients.js';
import type { ClientSettings } from '../clients/client-settings.js';
import { CognitoError, invalidParameter, notAuthorized } from '../errors.js';
import { checkPassword, POLICY_PREAMBLE } from '../passwords/password-policy.js';
import type { PasswordHasher } from '../passwords/password-hasher.js';
import { DEFAULT_PASSWORD_POLICY } from '../pools/pool-settings.js';
import type { IssuedTokens, Tokens } from '../tokens/tokens.js';
import { missingRequiredAttributes, normalizeAttributes } from '../users/user-attributes.js';
import { userNotFound, type PoolContext, type Users } from '../users/users.js';
import { checkClientSecret, checkFlowAllowed, checkSecretHash } from './client-checks.js';

/** What InitiateAuth and RespondToAuthChallenge answer: tokens, or the next challenge. */
export interface AuthOutcome {
  ChallengeName?: ChallengeNameType;
  Session?: string;
  ChallengeParameters: Record<string, string>;
  AuthenticationResult?: IssuedTokens;
}

export interface AuthRequest {
  clientId: string;
  /** Given by the Admin* operations, which must name the client's pool. */
  poolId?: string;
  flow: string;
  parameters: Record<string, string>;
}

export interface ChallengeAnswer {
  clientId: string;
  poolId?: string;
  challenge: string;
  session: string;
  responses: Record<string, string>;
}

const INCORRECT_PASSWORD = 'Incorrect username or password.';
const FREE_ATTEMPTS = 5;
const MAX_LOCKOUT_MS = 15 * 60_000;
const QUIET_RESET_MS = 15 * 60_000;

/** How long after the last failure the next attempt must wait, given the failures so far. */
const lockoutMs = (failures: number): number =>
  failures < FREE_ATTEMPTS ? 0 : Math.min(MAX_LOCKOUT_MS, 1000 * 2 ** (failures - FREE_ATTEMPTS));

const PUBLIC_FLOWS = new Set(['USER_PASSWORD_AUTH', 'REFRESH_TOKEN_AUTH', 'REFRESH_TOKEN']);
const ADMIN_FLOWS = new Set(['ADMIN_USER_PASSWORD_AUTH', 'ADMIN_NO_SRP_AUTH', 'REFRESH_TOKEN_AUTH', 'REFRESH_TOKEN']);

/**
 * Sign-in as a small state machine: a flow checks the first factor and either issues tokens
 * or stores a session for the challenge that must be answered next.
 */
export class Authentication {
  constructor(
    private readonly storage: Storage,
    private readonly clients: AppClients,
    private readonly users: Users,
    private readonly tokens: Tokens,
    private readonly hasher: PasswordHasher,
    private readonly clock: Clock,
  ) {}

  async initiate(request: AuthRequest, admin: boolean): Promise<AuthOutcome> {
    const client = await this.clients.forCall(request.clientId, request.poolId);
    if (!(admin ? ADMIN_FLOWS : PUBLIC_FLOWS).has(request.flow)) {
      throw invalidParameter(PUBLIC_FLOWS.has(request.flow) || ADMIN_FLOWS.has(request.flow) ? 'Initiate Auth method not supported.' : `Gatehouse does not support the ${request.flow} flow yet.`);
    }
    checkFlowAllowed(client, request.flow);
    return request.flow.startsWith('REFRESH_TOKEN') ? this.refresh(client, request.parameters) : this.password(client, request.parameters);
  }

  async respond(answer: ChallengeAnswer): Promise<AuthOutcome> {
    const client = await this.clients.forCall(answer.clientId, answer.poolId);
    const session = await this.storage.authSessions.consume(answer.session, this.clock.now());
    if (!session || session.clientId !== client.clientId || session.challenge !== answer.challenge) {
      throw notAuthorized('Invalid session for the user, session is expired.');
    }
    const context = await this.users.poolContext(client.poolId);
    const user = await this.storage.users.getBySub(client.poolId, session.sub);
    if (!user) throw userNotFound();
    const username = answer.responses.USERNAME;
    if (username === undefined) throw invalidParameter('Missing required parameter USERNAME');
    if ((await this.users.find(context, username))?.sub !== user.sub) throw notAuthorized('Invalid session for the user, session is expired.');
    checkSecretHash(client, username, answer.responses.SECRET_HASH);
    if (answer.challenge === 'NEW_PASSWORD_REQUIRED') return this.completeNewPassword(context, client, user, answer.responses);
    throw invalidParameter(`Gatehouse does not support the ${answer.challenge} challenge yet.`);
  }

  /** The user an access token speaks for, as the access-token operations (GetUser, …) need it. */
  async userOfAccessToken(accessToken: string): Promise<UserRecord> {
    const { family } = await this.tokens.verifyAccessToken(accessToken);
    const user = await this.storage.users.getBySub(family.poolId, family.sub);
    if (!user) throw notAuthorized('Access Token has been revoked');
    if (!user.enabled) throw notAuthorized('User is disabled.');
    return user;
  }

  /** RevokeToken: the client (and its secret) must be the one the refresh token was issued to. */
  async revokeRefreshToken(token: string, clientId: string, clientSecret: string | undefined): Promise<void> {
    const client = await this.clients.forCall(clientId);
    checkClientSecret(client, clientSecret);
    if ((client.config as ClientSettings).EnableTokenRevocation === false) {
      throw new CognitoError('UnsupportedTokenTypeException', 'Token revocation is not enabled for this client.');
    }
    await this.tokens.revokeRefreshToken(token, client);
  }

  /** USER_PASSWORD_AUTH and ADMIN_USER_PASSWORD_AUTH: the password, then the user's state. */
  private async password(client: ClientRecord, parameters: Record<string, string>): Promise<AuthOutcome> {
    const { USERNAME: username, PASSWORD: password } = parameters;
    if (username === undefined) throw invalidParameter('Missing required parameter USERNAME');
    if (password === undefined) throw invalidParameter('Missing required parameter PASSWORD');
    checkSecretHash(client, username, parameters.SECRET_HASH);
    const context = await this.users.poolContext(client.poolId);
    const user = await this.users.find(context, username);
    const hideExistence = (client.config as ClientSettings).PreventUserExistenceErrors === 'ENABLED';
    if (!user || user.passwordHash === null) {
      // Unknown users pay for a hash too, so timing does not tell who exists.
      await this.hasher.dummyVerify(password);
      throw hideExistence ? notAuthorized(INCORRECT_PASSWORD) : userNotFound();
    }
    await this.checkPassword(user, password);
    this.checkCanSignIn(user);
    if (user.status === 'FORCE_CHANGE_PASSWORD') return this.newPasswordChallenge(context, client, user);
    return { ChallengeParameters: {}, AuthenticationResult: await this.tokens.signIn(context.pool, client, user) };
  }

  /**
   * The password, behind Cognito's lockout: from the fifth failure in a row the user waits
   * 2^(n−5) seconds (at most 15 minutes) before the next try counts; attempts meanwhile fail
   * without a check and without extending the wait. Fifteen quiet minutes forgive the count.
   */
  private async checkPassword(user: UserRecord, password: string): Promise<void> {
    const now = this.clock.now();
    if (user.lastFailedSignIn !== null && now - user.lastFailedSignIn < lockoutMs(user.failedSignIns)) {
      throw notAuthorized('Password attempts exceeded');
    }
    if (await this.hasher.verify(user.passwordHash!, password)) {
      if (user.failedSignIns > 0) await this.storage.users.clearFailedSignIns(user.poolId, user.sub);
      return;
    }
    await this.storage.users.recordFailedSignIn(user.poolId, user.sub, now, QUIET_RESET_MS);
    throw notAuthorized(INCORRECT_PASSWORD);
  }

  private checkCanSignIn(user: UserRecord): void {
    if (!user.enabled) throw notAuthorized('User is disabled.');
    if (user.status === 'UNCONFIRMED') throw new CognitoError('UserNotConfirmedException', 'User is not confirmed.');
    if (user.status === 'RESET_REQUIRED') throw new CognitoError('PasswordResetRequiredException', 'Password reset required for the user');
    if (user.status === 'FORCE_CHANGE_PASSWORD' && user.passwordExpiresAt !== null && user.passwordExpiresAt <= this.clock.now()) {
      throw notAuthorized('Temporary password has expired and must be reset by an administrator.');
    }
  }

  /** REFRESH_TOKEN_AUTH: new access and ID tokens from a live refresh token; no new refresh token. */
  private async refresh(client: ClientRecord, parameters: Record<string, string>): Promise<AuthOutcome> {
    const refreshToken = parameters.REFRESH_TOKEN;
    if (refreshToken === undefined) throw invalidParameter('Missing required parameter REFRESH_TOKEN');
    const { family, user, pool } = await this.refreshable(client, refreshToken);
    checkSecretHash(client, user.username, parameters.SECRET_HASH);
    return { ChallengeParameters: {}, AuthenticationResult: await this.tokens.mint(pool, client, user, family) };
  }

  /**
   * GetTokensFromRefreshToken (Amplify v6's refresh): new access and ID tokens, and with the
   * client's RefreshTokenRotation enabled a new refresh token as well.
   */
  async tokensFromRefreshToken(refreshToken: string, clientId: string, clientSecret: string | undefined): Promise<IssuedTokens> {
    const client = await this.clients.forCall(clientId);
    checkClientSecret(client, clientSecret);
    const { family, user, pool } = await this.refreshable(client, refreshToken);
    const rotation = (client.config as ClientSettings).RefreshTokenRotation;
    const tokens = await this.tokens.mint(pool, client, user, family);
    if (rotation?.Feature !== 'ENABLED') return tokens;
    return { ...tokens, RefreshToken: await this.tokens.rotateRefreshToken(family, refreshToken, rotation.RetryGracePeriodSeconds ?? 0) };
  }

  private async refreshable(client: ClientRecord, refreshToken: string) {
    const family = await this.tokens.familyOfRefreshToken(refreshToken, client);
    const user = await this.storage.users.getBySub(client.poolId, family.sub);
    if (!user) throw notAuthorized('Refresh Token has been revoked');
    if (!user.enabled) throw notAuthorized('User is disabled.');
    const { pool } = await this.users.poolContext(client.poolId);
    return { family, user, pool };
  }

  private async newPasswordChallenge(context: PoolContext, client: ClientRecord, user: UserRecord): Promise<AuthOutcome> {
    const session = await this.startSession(client, user, 'NEW_PASSWORD_REQUIRED');
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

  /** NEW_PASSWORD_REQUIRED answered: the new password, any missing required attributes, then tokens. */
  private async completeNewPassword(context: PoolContext, client: ClientRecord, user: UserRecord, responses: Record<string, string>): Promise<AuthOutcome> {
    const newPassword = responses.NEW_PASSWORD;
    if (newPassword === undefined) throw invalidParameter('Missing required parameter NEW_PASSWORD');
    checkPassword(context.settings.Policies?.PasswordPolicy ?? DEFAULT_PASSWORD_POLICY, newPassword, POLICY_PREAMBLE.newPassword);
    const given = Object.entries(responses)
      .filter(([name]) => name.startsWith('userAttributes.'))
      .map(([name, value]) => ({ Name: name.slice('userAttributes.'.length), Value: value }));
    const schema = context.settings.SchemaAttributes ?? [];
    const attributes = { ...user.attributes, ...Object.fromEntries(normalizeAttributes(given, { schema, writer: 'user', creating: true })) };
    const missing = missingRequiredAttributes(new Map(Object.entries(attributes)), schema);
    if (missing.length > 0) throw invalidParameter(`Invalid attributes given, ${missing[0]} is missing`);
    const confirmed = await this.users.setPermanentPassword(context, user, newPassword, { attributes, status: 'CONFIRMED' });
    return { ChallengeParameters: {}, AuthenticationResult: await this.tokens.signIn(context.pool, client, confirmed) };
  }

  private async startSession(client: ClientRecord, user: UserRecord, challenge: ChallengeNameType): Promise<string> {
    const id = randomBytes(96).toString('base64url');
    const minutes = (client.config as ClientSettings).AuthSessionValidity ?? 3;
    await this.storage.authSessions.insert({
      id,
      poolId: client.poolId,
      clientId: client.clientId,
      sub: user.sub,
      challenge,
      state: {},
      expiresAt: this.clock.now() + minutes * 60_000,
    });
    return id;
  }
}
