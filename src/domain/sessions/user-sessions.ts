import type {
  GetUserPoolClientSessionConfigurationResponse,
  GetUserPoolSessionConfigurationResponse,
  SessionDescriptionType,
  SetUserPoolClientSessionConfigurationRequest,
  SetUserPoolSessionConfigurationRequest,
} from '@aws-sdk/client-cognito-identity-provider';
import { toEpochSeconds, type Clock } from '../../clock.js';
import type { Storage, TokenFamilyRecord, UserSessionRecord } from '../../storage/types.js';
import type { AppClient, AppClients } from '../clients/app-clients.js';
import { CognitoError, invalidParameter, resourceNotFound } from '../errors.js';
import { newTokenSessionId } from '../ids.js';
import { upsertDocument } from '../managed-login/documents.js';
import { decodePageToken, nextTokenOf } from '../pagination.js';
import type { PoolSettings } from '../pools/pool-settings.js';
import type { Pool, UserPools } from '../pools/user-pools.js';
import { UNKNOWN_SDK, type Caller } from '../triggers/caller.js';
import type { Wire } from '../wire.js';

/** ClientSSOSessionConfigType as stored: always with its one field. */
interface SsoSession {
  MaxValidityMinutes: number;
}

type PoolSessionConfiguration = NonNullable<PoolSettings['SessionConfiguration']>;

/** Cognito's configuration of a pool that never set one. */
const DEFAULT_POOL_CONFIGURATION: PoolSessionConfiguration = { UserSessionTracking: 'DISABLED', TokenSession: { MaxPerUser: 20 } };

/** How long an app client reuses the managed login session when it set nothing: Cognito's hour. */
const DEFAULT_SSO_SESSION: SsoSession = { MaxValidityMinutes: 60 };

/** Cognito lists all of a user's sessions in one page of up to 125. */
const SESSIONS_PER_PAGE = 125;

/** Where a sign-in or refresh came from, as the session shows it. */
export interface SessionOrigin {
  sourceIp: string | null;
  caller: Caller;
}

const poolConfigurationOf = (settings: PoolSettings): PoolSessionConfiguration => settings.SessionConfiguration ?? DEFAULT_POOL_CONFIGURATION;

export const tracksSessions = (settings: PoolSettings): boolean => poolConfigurationOf(settings).UserSessionTracking === 'ENABLED';

/**
 * Cognito's session tracking. A token session is a sign-in's token family on a pool that tracks
 * sessions: listed while the family lives, revoked by revoking the family (so its refresh token and
 * the access tokens minted from it are refused, as after RevokeToken), and at most MaxPerUser a
 * user, the least recently used giving way to a new sign-in.
 *
 * The managed login session is a sealed cookie with no server-side record, so there are no SSO
 * sessions to list; an app client's SSO setting decides how long it reuses that cookie.
 */
export class UserSessions {
  constructor(
    private readonly storage: Storage,
    private readonly pools: UserPools,
    private readonly clients: AppClients,
    private readonly clock: Clock,
  ) {}

  async poolConfiguration(poolId: string): Promise<GetUserPoolSessionConfigurationResponse> {
    const pool = await this.pools.get(poolId);
    return { UserPoolId: pool.id, ...poolConfigurationOf(pool.settings) };
  }

  /**
   * A whole replacement; lowering MaxPerUser evicts nobody until their next sign-in, as in Cognito.
   * Turned off, the pool keeps no session records (the sign-ins themselves go on).
   */
  async setPoolConfiguration(input: SetUserPoolSessionConfigurationRequest): Promise<GetUserPoolSessionConfigurationResponse> {
    const configuration: PoolSessionConfiguration = { UserSessionTracking: input.UserSessionTracking!, TokenSession: { MaxPerUser: input.TokenSession!.MaxPerUser! } };
    const pool = await this.pools.changeSettings(input.UserPoolId!, (settings) => {
      if ((settings.UserPoolTier ?? 'ESSENTIALS') === 'LITE') {
        throw new CognitoError('FeatureUnavailableInTierException', 'Session tracking requires the ESSENTIALS or PLUS feature plan.');
      }
      return { ...settings, SessionConfiguration: configuration };
    });
    if (configuration.UserSessionTracking === 'DISABLED') await this.storage.userSessions.deleteForPool(pool.id);
    return { UserPoolId: pool.id, ...poolConfigurationOf(pool.settings) };
  }

  async clientConfiguration(poolId: string, clientId: string): Promise<GetUserPoolClientSessionConfigurationResponse> {
    const client = await this.clients.get(poolId, clientId);
    return { UserPoolId: poolId, ClientId: client.clientId, SSOSession: await this.ssoSessionOf(client) };
  }

  async setClientConfiguration(input: SetUserPoolClientSessionConfigurationRequest): Promise<GetUserPoolClientSessionConfigurationResponse> {
    const client = await this.clients.get(input.UserPoolId!, input.ClientId!);
    const SSOSession = { MaxValidityMinutes: input.SSOSession!.MaxValidityMinutes! };
    await upsertDocument(this.storage.poolDocuments, { poolId: client.poolId, kind: 'client-session', key: client.clientId }, { SSOSession }, this.clock.now());
    return { UserPoolId: client.poolId, ClientId: client.clientId, SSOSession };
  }

  /**
   * Whether the client signs a browser in from its managed login session without asking again.
   * The client's limit counts from the user's sign-in; while the pool tracks no sessions it lies
   * dormant, as in Cognito, and the session's own hour is all that counts.
   */
  async reusesLoginSession(client: AppClient, authTime: number): Promise<boolean> {
    const pool = await this.pools.get(client.poolId);
    if (!tracksSessions(pool.settings)) return true;
    const { MaxValidityMinutes } = await this.ssoSessionOf(client);
    return this.clock.now() < authTime + MaxValidityMinutes * 60_000;
  }

  /**
   * A sign-in's new family: on a tracking pool its session, then the user's least recently used
   * sessions beyond MaxPerUser ended. Inserting first and trimming after means sign-ins racing on one
   * user cannot each see room and all stay: the last trim to run sees every session and keeps at most
   * the limit, its own sign-in's among them.
   */
  async started(pool: Pool, family: TokenFamilyRecord, origin: SessionOrigin): Promise<void> {
    if (!tracksSessions(pool.settings)) return;
    const now = this.clock.now();
    const sessionId = newTokenSessionId(now);
    await this.storage.userSessions.insert({
      sessionId,
      originJti: family.originJti,
      poolId: family.poolId,
      sub: family.sub,
      clientId: family.clientId,
      createdAt: now,
      lastActiveAt: now,
      lastIp: origin.sourceIp,
      deviceType: deviceTypeOf(origin.caller),
    });
    const others = (await this.storage.userSessions.listLive(family.poolId, family.sub, now, SESSIONS_PER_PAGE)).items.filter((session) => session.sessionId !== sessionId);
    const mostRecentlyUsed = others.sort((a, b) => b.lastActiveAt - a.lastActiveAt || b.sessionId.localeCompare(a.sessionId));
    for (const session of mostRecentlyUsed.slice(poolConfigurationOf(pool.settings).TokenSession.MaxPerUser - 1)) await this.end(session);
  }

  /** A refresh in a family: its session's last activity (a family without one is left alone). */
  async refreshed(pool: Pool, family: TokenFamilyRecord, origin: SessionOrigin): Promise<void> {
    if (!tracksSessions(pool.settings)) return;
    await this.storage.userSessions.touch(family.originJti, this.clock.now(), origin.sourceIp, deviceTypeOf(origin.caller));
  }

  /** ListUserSessions (the caller's own sign-in marked current) and AdminListUserSessions. */
  async list(poolId: string, sub: string, nextToken: string | undefined, currentOriginJti?: string): Promise<Wire<{ Sessions: SessionDescriptionType[]; NextToken?: string }>> {
    const page = await this.storage.userSessions.listLive(poolId, sub, this.clock.now(), SESSIONS_PER_PAGE, decodePageToken(nextToken));
    return { Sessions: page.items.map((session) => describe(session, session.originJti === currentOriginJti)), ...nextTokenOf(page) };
  }

  /**
   * RevokeUserSession and AdminRevokeUserSession: the session must be one of this user's live ones;
   * a user may not end the session their own access token belongs to.
   */
  async revoke(poolId: string, sub: string, sessionId: string, currentOriginJti?: string): Promise<void> {
    const session = await this.storage.userSessions.getLive(poolId, sub, sessionId, this.clock.now());
    if (!session) throw resourceNotFound('Session not found.');
    if (session.originJti === currentOriginJti) throw invalidParameter('The session of the access token in the request cannot be revoked.');
    await this.end(session);
  }

  /** Ends a session as RevokeToken ends a refresh token: the family is revoked, the record goes. */
  private async end(session: UserSessionRecord): Promise<void> {
    await this.storage.tokenFamilies.revoke(session.originJti);
    await this.storage.userSessions.delete(session.sessionId);
  }

  private async ssoSessionOf(client: AppClient): Promise<SsoSession> {
    const document = await this.storage.poolDocuments.get<{ SSOSession: SsoSession }>(client.poolId, 'client-session', client.clientId);
    return document?.body.SSOSession ?? DEFAULT_SSO_SESSION;
  }
}

/** What the request says of the app it came from: the calling SDK where it named one. */
const deviceTypeOf = (caller: Caller): string => (caller.awsSdkVersion === UNKNOWN_SDK ? 'unknown' : caller.awsSdkVersion);

function describe(session: UserSessionRecord, current: boolean): Wire<SessionDescriptionType> {
  return {
    SessionId: session.sessionId,
    SessionType: 'TOKEN',
    ClientId: session.clientId,
    CreateDate: toEpochSeconds(session.createdAt),
    LastActiveDate: toEpochSeconds(session.lastActiveAt),
    DeviceType: session.deviceType ?? 'unknown',
    ...(session.lastIp !== null && { LastIPAddress: session.lastIp }),
    IsCurrentSession: current,
  };
}
