import type { Storage, TokenFamilyRecord } from '../../storage/types.js';
import type { AppClient } from '../clients/app-clients.js';
import { invalidParameter, notAuthorized } from '../errors.js';
import type { IssuedTokens, Tokens } from '../tokens/tokens.js';
import type { Users } from '../users/users.js';
import { checkSecretHash } from './client-checks.js';
import { parameterOf, type AuthOutcome } from './sign-in.js';
import type { SessionOrigin, UserSessions } from '../sessions/user-sessions.js';

/** New access and ID tokens from a refresh token, for the client and device it was issued to. */
export class RefreshFlow {
  constructor(
    private readonly storage: Storage,
    private readonly users: Users,
    private readonly tokens: Tokens,
    private readonly sessions: UserSessions,
  ) {}

  /** REFRESH_TOKEN_AUTH: no new refresh token. The SECRET_HASH is over the token owner's username. */
  async refresh(client: AppClient, parameters: Record<string, string>, origin: SessionOrigin): Promise<AuthOutcome> {
    const refreshToken = parameterOf(parameters, 'REFRESH_TOKEN');
    if (refreshToken === undefined) throw invalidParameter('Missing required parameter REFRESH_TOKEN');
    const { family, user, pool } = await this.refreshable(client, refreshToken, parameterOf(parameters, 'DEVICE_KEY'));
    checkSecretHash(client, user.username, parameterOf(parameters, 'SECRET_HASH'), 'refresh');
    await this.sessions.refreshed(pool, family, origin);
    return { ChallengeParameters: {}, AuthenticationResult: await this.tokens.mint(pool, client, user, family, { source: 'RefreshTokens', caller: origin.caller }) };
  }

  /** GetTokensFromRefreshToken: with the client's RefreshTokenRotation enabled, a new refresh token too. */
  async rotatingRefresh(client: AppClient, refreshToken: string, deviceKey: string | undefined, origin: SessionOrigin): Promise<IssuedTokens> {
    const { family, user, pool } = await this.refreshable(client, refreshToken, deviceKey);
    await this.sessions.refreshed(pool, family, origin);
    const rotation = client.settings.RefreshTokenRotation;
    const tokens = await this.tokens.mint(pool, client, user, family, { source: 'RefreshTokens', caller: origin.caller });
    if (rotation?.Feature !== 'ENABLED') return tokens;
    return { ...tokens, RefreshToken: await this.tokens.rotateRefreshToken(family, refreshToken, rotation.RetryGracePeriodSeconds ?? 0) };
  }

  private async refreshable(client: AppClient, refreshToken: string, deviceKey: string | undefined) {
    const family = await this.tokens.familyOfRefreshToken(refreshToken, client);
    // Independent reads, at once: on PostgreSQL each is a round trip.
    const [, user, { pool }] = await Promise.all([
      this.checkDevice(family, deviceKey),
      this.storage.users.getBySub(client.poolId, family.sub),
      this.users.poolContext(client.poolId),
    ]);
    if (!user) throw notAuthorized('Refresh Token has been revoked');
    if (!user.enabled) throw notAuthorized('User is disabled.');
    return { family, user, pool };
  }

  /**
   * Tokens issued to a tracked device refresh only with that device's key, and only once the
   * device is confirmed and not forgotten: Cognito answers otherwise as to an invalid token.
   */
  private async checkDevice(family: TokenFamilyRecord, deviceKey: string | undefined): Promise<void> {
    if (family.deviceKey === null) return;
    const device = deviceKey === family.deviceKey ? await this.storage.devices.get(family.poolId, deviceKey) : undefined;
    if (!device || device.verifier === null) throw notAuthorized('Invalid Refresh Token');
  }
}
