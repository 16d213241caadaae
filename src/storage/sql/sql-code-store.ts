import type { Kysely, Selectable } from 'kysely';
import type { VerificationCodeRecord, VerificationCodeStore } from '../types.js';
import type { Database } from './schema.js';

export class SqlVerificationCodeStore implements VerificationCodeStore {
  constructor(private readonly db: Kysely<Database>) {}

  async put(code: VerificationCodeRecord): Promise<void> {
    const row = {
      pool_id: code.poolId,
      sub: code.sub,
      purpose: code.purpose,
      code_hash: code.codeHash,
      destination_attribute: code.destinationAttribute,
      expires_at: code.expiresAt,
      failed_attempts: code.failedAttempts,
    };
    await this.db
      .insertInto('verification_codes')
      .values(row)
      .onConflict((conflict) =>
        conflict.columns(['pool_id', 'sub', 'purpose']).doUpdateSet({
          code_hash: row.code_hash,
          destination_attribute: row.destination_attribute,
          expires_at: row.expires_at,
          failed_attempts: row.failed_attempts,
        }),
      )
      .execute();
  }

  async get(poolId: string, sub: string, purpose: string): Promise<VerificationCodeRecord | undefined> {
    const row = await this.db
      .selectFrom('verification_codes')
      .selectAll()
      .where('pool_id', '=', poolId)
      .where('sub', '=', sub)
      .where('purpose', '=', purpose)
      .executeTakeFirst();
    return row && toCode(row);
  }

  async takeGuess(poolId: string, sub: string, purpose: string, maxGuesses: number): Promise<VerificationCodeRecord | undefined> {
    // One statement: of any number of parallel guesses, only as many as remain find the row.
    const row = await this.db
      .updateTable('verification_codes')
      .set((eb) => ({ failed_attempts: eb('failed_attempts', '+', 1) }))
      .where('pool_id', '=', poolId)
      .where('sub', '=', sub)
      .where('purpose', '=', purpose)
      .where('failed_attempts', '<', maxGuesses)
      .returningAll()
      .executeTakeFirst();
    return row && toCode(row);
  }

  async remove(poolId: string, sub: string, purpose: string, codeHash: string): Promise<boolean> {
    const { numDeletedRows } = await this.db
      .deleteFrom('verification_codes')
      .where('pool_id', '=', poolId)
      .where('sub', '=', sub)
      .where('purpose', '=', purpose)
      .where('code_hash', '=', codeHash)
      .executeTakeFirst();
    return numDeletedRows > 0n;
  }

  async delete(poolId: string, sub: string, purpose: string): Promise<void> {
    await this.db.deleteFrom('verification_codes').where('pool_id', '=', poolId).where('sub', '=', sub).where('purpose', '=', purpose).execute();
  }
}

function toCode(row: Selectable<Database['verification_codes']>): VerificationCodeRecord {
  return {
    poolId: row.pool_id,
    sub: row.sub,
    purpose: row.purpose,
    codeHash: row.code_hash,
    destinationAttribute: row.destination_attribute,
    expiresAt: Number(row.expires_at),
    failedAttempts: Number(row.failed_attempts),
  };
}
