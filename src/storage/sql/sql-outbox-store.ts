import type { Kysely } from 'kysely';
import type { OutboxRecord, OutboxStore } from '../types.js';
import type { Database } from './schema.js';

export class SqlOutboxStore implements OutboxStore {
  constructor(private readonly db: Kysely<Database>) {}

  async add(record: OutboxRecord, keep: number): Promise<void> {
    await this.db.insertInto('message_outbox').values({ id: record.id, pool_id: record.poolId, sent_at: record.sentAt, body: JSON.stringify(record.message) }).execute();
    const oldestKept = await this.db.selectFrom('message_outbox').select('id').orderBy('id', 'desc').offset(keep - 1).limit(1).executeTakeFirst();
    if (oldestKept) await this.db.deleteFrom('message_outbox').where('id', '<', oldestKept.id).execute();
  }

  async recent(limit: number): Promise<OutboxRecord[]> {
    const rows = await this.db.selectFrom('message_outbox').selectAll().orderBy('id', 'desc').limit(limit).execute();
    return rows.map((row) => ({ id: row.id, poolId: row.pool_id, sentAt: Number(row.sent_at), message: JSON.parse(row.body) as Record<string, unknown> }));
  }
}
