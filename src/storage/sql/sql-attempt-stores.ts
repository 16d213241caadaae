import { sql, type Kysely } from 'kysely';
import type { AttemptCountStore } from '../types.js';
import type { Database } from './schema.js';

export class SqlAttemptCountStore implements AttemptCountStore {
  constructor(private readonly db: Kysely<Database>) {}

  async count(poolId: string, sub: string, action: string, now: number, windowMs: number): Promise<number> {
    // One statement, so concurrent attempts on any node each get their own number. SET sees the
    // row as it was, so both CASEs test the old window.
    const expired = sql<boolean>`attempt_counts.window_started_at <= ${now - windowMs}`;
    const row = await this.db
      .insertInto('attempt_counts')
      .values({ pool_id: poolId, sub, action, window_started_at: now, attempts: 1 })
      .onConflict((conflict) =>
        conflict.columns(['pool_id', 'sub', 'action']).doUpdateSet({
          attempts: sql<number>`CASE WHEN ${expired} THEN 1 ELSE attempt_counts.attempts + 1 END`,
          window_started_at: sql<number>`CASE WHEN ${expired} THEN ${now} ELSE attempt_counts.window_started_at END`,
        }),
      )
      .returning('attempts')
      .executeTakeFirstOrThrow();
    return Number(row.attempts);
  }
}
