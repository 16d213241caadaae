import { PostgresAdapter, sql, type ColumnDefinitionBuilder, type Kysely } from 'kysely';

/**
 * Issue 18: the pool's configuration beyond the pool record, each a small JSON document under a kind
 * and a key: resource servers (by identifier), domains (by name), and later branding and terms.
 * One table keeps them alike; a domain's name is unique across every pool, because a request's Host
 * picks its pool by it. Deleting a pool takes its documents with it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  // Keys are listed in byte order on both engines, as users are (see 0002).
  const bytewise = (c: ColumnDefinitionBuilder) =>
    db.getExecutor().adapter instanceof PostgresAdapter ? c.notNull().modifyEnd(sql`collate "C"`) : c.notNull();
  await db.schema
    .createTable('pool_documents')
    .addColumn('pool_id', 'text', (c) => c.notNull().references('user_pools.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('doc_key', 'text', bytewise)
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('pool_documents_pk', ['pool_id', 'kind', 'doc_key'])
    .execute();
  await db.schema.createIndex('pool_documents_global_names').on('pool_documents').columns(['kind', 'doc_key']).unique().where(sql.ref('kind'), '=', 'domain').execute();
}
