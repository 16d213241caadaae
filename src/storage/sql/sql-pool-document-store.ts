import type { Kysely, Selectable } from 'kysely';
import type { Page, PoolDocumentKind, PoolDocumentRecord, PoolDocumentStore } from '../types.js';
import { page } from './page.js';
import type { Database } from './schema.js';

type DocumentRow = Selectable<Database['pool_documents']>;

function toDocument<Body>(row: DocumentRow): PoolDocumentRecord<Body> {
  return {
    poolId: row.pool_id,
    kind: row.kind as PoolDocumentKind,
    key: row.doc_key,
    body: JSON.parse(row.body),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
    version: Number(row.version),
  };
}

export class SqlPoolDocumentStore implements PoolDocumentStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly translate: (error: unknown) => never,
  ) {}

  async insert(document: PoolDocumentRecord): Promise<void> {
    await this.db
      .insertInto('pool_documents')
      .values({
        pool_id: document.poolId,
        kind: document.kind,
        doc_key: document.key,
        body: JSON.stringify(document.body),
        created_at: document.createdAt,
        updated_at: document.updatedAt,
      })
      .execute()
      .catch(this.translate);
  }

  async get<Body>(poolId: string, kind: PoolDocumentKind, key: string): Promise<PoolDocumentRecord<Body> | undefined> {
    const row = await this.db.selectFrom('pool_documents').selectAll().where('pool_id', '=', poolId).where('kind', '=', kind).where('doc_key', '=', key).executeTakeFirst();
    return row && toDocument<Body>(row);
  }

  async find<Body>(kind: PoolDocumentKind, key: string): Promise<PoolDocumentRecord<Body> | undefined> {
    const row = await this.db.selectFrom('pool_documents').selectAll().where('kind', '=', kind).where('doc_key', '=', key).executeTakeFirst();
    return row && toDocument<Body>(row);
  }

  async list<Body>(poolId: string, kind: PoolDocumentKind, limit: number, afterKey?: string): Promise<Page<PoolDocumentRecord<Body>>> {
    let query = this.db.selectFrom('pool_documents').selectAll().where('pool_id', '=', poolId).where('kind', '=', kind).orderBy('doc_key').limit(limit + 1);
    if (afterKey !== undefined) query = query.where('doc_key', '>', afterKey);
    return page((await query.execute()).map((row) => toDocument<Body>(row)), limit, (document) => document.key);
  }

  async update(document: PoolDocumentRecord): Promise<boolean> {
    const result = await this.db
      .updateTable('pool_documents')
      .set((eb) => ({ body: JSON.stringify(document.body), updated_at: document.updatedAt, version: eb('version', '+', 1) }))
      .where('pool_id', '=', document.poolId)
      .where('kind', '=', document.kind)
      .where('doc_key', '=', document.key)
      .where('version', '=', document.version)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async delete(poolId: string, kind: PoolDocumentKind, key: string): Promise<boolean> {
    const result = await this.db.deleteFrom('pool_documents').where('pool_id', '=', poolId).where('kind', '=', kind).where('doc_key', '=', key).executeTakeFirst();
    return result.numDeletedRows > 0n;
  }
}
