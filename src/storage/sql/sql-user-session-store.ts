import type { Kysely, Selectable } from 'kysely';
import type { Page, UserSessionRecord, UserSessionStore } from '../types.js';
import { page } from './page.js';
import type { Database } from './schema.js';

function toSession(row: Selectable<Database['user_sessions']>): UserSessionRecord {
  return {
    sessionId: row.session_id,
    originJti: row.origin_jti,
    poolId: row.pool_id,
    sub: row.sub,
    clientId: row.client_id,
    createdAt: Number(row.created_at),
    lastActiveAt: Number(row.last_active_at),
    lastIp: row.last_ip,
    deviceType: row.device_type,
  };
}

export class SqlUserSessionStore implements UserSessionStore {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(session: UserSessionRecord): Promise<void> {
    await this.db
      .insertInto('user_sessions')
      .values({
        session_id: session.sessionId,
        origin_jti: session.originJti,
        pool_id: session.poolId,
        sub: session.sub,
        client_id: session.clientId,
        created_at: session.createdAt,
        last_active_at: session.lastActiveAt,
        last_ip: session.lastIp,
        device_type: session.deviceType,
      })
      .execute();
  }

  /** A user's sessions whose family is neither revoked nor expired. */
  private live(poolId: string, sub: string, now: number) {
    return this.db
      .selectFrom('user_sessions as s')
      .innerJoin('token_families as f', 'f.origin_jti', 's.origin_jti')
      .selectAll('s')
      .where('s.pool_id', '=', poolId)
      .where('s.sub', '=', sub)
      .where('f.revoked', '=', 0)
      .where('f.expires_at', '>', now);
  }

  async listLive(poolId: string, sub: string, now: number, limit: number, afterId?: string): Promise<Page<UserSessionRecord>> {
    let query = this.live(poolId, sub, now).orderBy('s.session_id').limit(limit + 1);
    if (afterId !== undefined) query = query.where('s.session_id', '>', afterId);
    return page((await query.execute()).map(toSession), limit, (session) => session.sessionId);
  }

  async getLive(poolId: string, sub: string, sessionId: string, now: number): Promise<UserSessionRecord | undefined> {
    const row = await this.live(poolId, sub, now).where('s.session_id', '=', sessionId).executeTakeFirst();
    return row && toSession(row);
  }

  async touch(originJti: string, at: number, ip: string | null, deviceType: string | null): Promise<void> {
    await this.db
      .updateTable('user_sessions')
      .set({ last_active_at: at, ...(ip !== null && { last_ip: ip }), ...(deviceType !== null && { device_type: deviceType }) })
      .where('origin_jti', '=', originJti)
      .execute();
  }

  async delete(sessionId: string): Promise<void> {
    await this.db.deleteFrom('user_sessions').where('session_id', '=', sessionId).execute();
  }

  async deleteForPool(poolId: string): Promise<void> {
    await this.db.deleteFrom('user_sessions').where('pool_id', '=', poolId).execute();
  }
}
