import type { Kysely } from 'kysely';
import type { AuthEventRecord, AuthEventStore, Page } from '../types.js';
import { page } from './page.js';
import type { Database } from './schema.js';

export class SqlAuthEventStore implements AuthEventStore {
  constructor(private readonly db: Kysely<Database>) {}

  async add(event: AuthEventRecord): Promise<void> {
    await this.db.insertInto('auth_events').values({ event_id: event.eventId, pool_id: event.poolId, sub: event.sub, created_at: event.createdAt, body: JSON.stringify(event.body) }).execute();
  }

  async list(poolId: string, sub: string | undefined, limit: number, beforeId?: string): Promise<Page<AuthEventRecord>> {
    let query = this.db.selectFrom('auth_events').selectAll().where('pool_id', '=', poolId).orderBy('event_id', 'desc').limit(limit + 1);
    if (sub !== undefined) query = query.where('sub', '=', sub);
    if (beforeId !== undefined) query = query.where('event_id', '<', beforeId);
    const rows = await query.execute();
    return page(
      rows.map((row) => ({ eventId: row.event_id, poolId: row.pool_id, sub: row.sub, createdAt: Number(row.created_at), body: JSON.parse(row.body) as AuthEventRecord['body'] })),
      limit,
      (event) => event.eventId,
    );
  }
}
