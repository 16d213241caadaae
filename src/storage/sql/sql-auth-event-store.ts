import type { Kysely, Selectable } from 'kysely';
import type { AuthEventRecord, AuthEventStore, Page } from '../types.js';
import { page } from './page.js';
import type { Database } from './schema.js';

type Row = Selectable<Database['auth_events']>;

const recordOf = (row: Row): AuthEventRecord => ({ eventId: row.event_id, poolId: row.pool_id, sub: row.sub, createdAt: Number(row.created_at), body: JSON.parse(row.body) as AuthEventRecord['body'] });

export class SqlAuthEventStore implements AuthEventStore {
  constructor(private readonly db: Kysely<Database>) {}

  async add(event: AuthEventRecord): Promise<void> {
    await this.db
      .insertInto('auth_events')
      .values({ event_id: event.eventId, pool_id: event.poolId, sub: event.sub, created_at: event.createdAt, ip_address: event.body.ipAddress, body: JSON.stringify(event.body) })
      .execute();
  }

  async deleteBefore(beforeId: string): Promise<void> {
    await this.db.deleteFrom('auth_events').where('event_id', '<', beforeId).execute();
  }

  async get(poolId: string, eventId: string): Promise<AuthEventRecord | undefined> {
    const row = await this.db.selectFrom('auth_events').selectAll().where('pool_id', '=', poolId).where('event_id', '=', eventId).executeTakeFirst();
    return row && recordOf(row);
  }

  async update(event: AuthEventRecord): Promise<void> {
    await this.db.updateTable('auth_events').set({ body: JSON.stringify(event.body) }).where('pool_id', '=', event.poolId).where('event_id', '=', event.eventId).execute();
  }

  async list(poolId: string, sub: string | undefined, limit: number, beforeId?: string): Promise<Page<AuthEventRecord>> {
    let query = this.db.selectFrom('auth_events').selectAll().where('pool_id', '=', poolId).orderBy('event_id', 'desc').limit(limit + 1);
    if (sub !== undefined) query = query.where('sub', '=', sub);
    if (beforeId !== undefined) query = query.where('event_id', '<', beforeId);
    return page((await query.execute()).map(recordOf), limit, (event) => event.eventId);
  }

  async fromAddress(poolId: string, ipAddress: string, sinceId: string, limit: number): Promise<AuthEventRecord[]> {
    const rows = await this.db
      .selectFrom('auth_events')
      .selectAll()
      .where('pool_id', '=', poolId)
      .where('ip_address', '=', ipAddress)
      .where('event_id', '>=', sinceId)
      .orderBy('event_id', 'desc')
      .limit(limit)
      .execute();
    return rows.map(recordOf);
  }
}
