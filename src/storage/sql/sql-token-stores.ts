import type { Kysely, Selectable } from 'kysely';
import type { AuthSessionRecord, AuthSessionStore, TokenFamilyRecord, TokenFamilyStore } from '../types.js';
import type { Database } from './schema.js';

function toFamily(row: Selectable<Database['token_families']>): TokenFamilyRecord {
  return {
    originJti: row.origin_jti,
    poolId: row.pool_id,
    clientId: row.client_id,
    sub: row.sub,
    refreshHash: row.refresh_hash,
    deviceKey: row.device_key,
    authTime: Number(row.auth_time),
    expiresAt: Number(row.expires_at),
    revoked: Number(row.revoked) === 1,
    previousRefreshHash: row.previous_refresh_hash,
    previousValidUntil: row.previous_valid_until === null ? null : Number(row.previous_valid_until),
  };
}

export class SqlTokenFamilyStore implements TokenFamilyStore {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(family: TokenFamilyRecord): Promise<void> {
    await this.db
      .insertInto('token_families')
      .values({
        origin_jti: family.originJti,
        pool_id: family.poolId,
        client_id: family.clientId,
        sub: family.sub,
        refresh_hash: family.refreshHash,
        device_key: family.deviceKey,
        auth_time: family.authTime,
        expires_at: family.expiresAt,
        revoked: family.revoked ? 1 : 0,
        previous_refresh_hash: family.previousRefreshHash,
        previous_valid_until: family.previousValidUntil,
      })
      .execute();
  }

  async getByRefreshHash(refreshHash: string): Promise<TokenFamilyRecord | undefined> {
    const row =
      (await this.db.selectFrom('token_families').selectAll().where('refresh_hash', '=', refreshHash).executeTakeFirst()) ??
      (await this.db.selectFrom('token_families').selectAll().where('previous_refresh_hash', '=', refreshHash).executeTakeFirst());
    return row && toFamily(row);
  }

  async rotate(
    originJti: string,
    expectedHash: string,
    next: Pick<TokenFamilyRecord, 'refreshHash' | 'previousRefreshHash' | 'previousValidUntil'>,
  ): Promise<boolean> {
    const result = await this.db
      .updateTable('token_families')
      .set({ refresh_hash: next.refreshHash, previous_refresh_hash: next.previousRefreshHash, previous_valid_until: next.previousValidUntil })
      .where('origin_jti', '=', originJti)
      .where('refresh_hash', '=', expectedHash)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async getByOrigin(originJti: string): Promise<TokenFamilyRecord | undefined> {
    const row = await this.db.selectFrom('token_families').selectAll().where('origin_jti', '=', originJti).executeTakeFirst();
    return row && toFamily(row);
  }

  async revoke(originJti: string): Promise<void> {
    await this.db.updateTable('token_families').set({ revoked: 1 }).where('origin_jti', '=', originJti).execute();
  }

  async revokeAllForUser(poolId: string, sub: string): Promise<void> {
    await this.db.updateTable('token_families').set({ revoked: 1 }).where('pool_id', '=', poolId).where('sub', '=', sub).execute();
  }
}

export class SqlAuthSessionStore implements AuthSessionStore {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(session: AuthSessionRecord): Promise<void> {
    await this.db
      .insertInto('auth_sessions')
      .values({
        id: session.id,
        pool_id: session.poolId,
        client_id: session.clientId,
        sub: session.sub,
        challenge: session.challenge,
        state: JSON.stringify(session.state),
        expires_at: session.expiresAt,
      })
      .execute();
  }

  async get(id: string, now: number): Promise<AuthSessionRecord | undefined> {
    const row = await this.db.selectFrom('auth_sessions').selectAll().where('id', '=', id).executeTakeFirst();
    return row && Number(row.expires_at) > now ? toSession(row) : undefined;
  }

  async consume(id: string, now: number): Promise<AuthSessionRecord | undefined> {
    // Delete-returning makes the answer single-use even when two arrive at once on two nodes.
    const row = await this.db.deleteFrom('auth_sessions').where('id', '=', id).returningAll().executeTakeFirst();
    return row && Number(row.expires_at) > now ? toSession(row) : undefined;
  }
}

function toSession(row: Selectable<Database['auth_sessions']>): AuthSessionRecord {
  return {
    id: row.id,
    poolId: row.pool_id,
    clientId: row.client_id,
    sub: row.sub,
    challenge: row.challenge,
    state: JSON.parse(row.state),
    expiresAt: Number(row.expires_at),
  };
}
