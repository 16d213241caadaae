import { PostgresAdapter, sql, type ColumnDefinitionBuilder, type Kysely } from 'kysely';

/**
 * Users, the sign-in names that must be unique (aliases), and the values ListUsers filters on.
 * Uniqueness lives in primary keys so that concurrent writers race in the database, not in code.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  // Prefix searches compare bytes, so PostgreSQL must not order these columns by a locale.
  const bytewise = (c: ColumnDefinitionBuilder) =>
    db.getExecutor().adapter instanceof PostgresAdapter ? c.notNull().modifyEnd(sql`collate "C"`) : c.notNull();
  // Kept by the same transactions that add and remove users, so DescribeUserPool never counts rows.
  await db.schema.alterTable('user_pools').addColumn('user_count', 'bigint', (c) => c.notNull().defaultTo(0)).execute();

  await db.schema
    .createTable('users')
    .addColumn('pool_id', 'text', (c) => c.notNull().references('user_pools.id').onDelete('cascade'))
    .addColumn('sub', 'text', (c) => c.notNull())
    .addColumn('username', 'text', (c) => c.notNull())
    .addColumn('username_key', 'text', bytewise)
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('enabled', 'integer', (c) => c.notNull())
    .addColumn('password_hash', 'text')
    .addColumn('password_expires_at', 'bigint')
    .addColumn('attributes', 'text', (c) => c.notNull())
    .addColumn('settings', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('users_pk', ['pool_id', 'sub'])
    .addUniqueConstraint('users_username_unique', ['pool_id', 'username_key'])
    .execute();

  await db.schema
    .createTable('user_aliases')
    .addColumn('pool_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('alias_key', 'text', bytewise)
    .addColumn('sub', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('user_aliases_pk', ['pool_id', 'kind', 'alias_key'])
    .addForeignKeyConstraint('user_aliases_user', ['pool_id', 'sub'], 'users', ['pool_id', 'sub'], (c) => c.onDelete('cascade'))
    .execute();
  await db.schema.createIndex('user_aliases_by_user').on('user_aliases').columns(['pool_id', 'sub']).execute();

  await db.schema
    .createTable('user_search')
    .addColumn('pool_id', 'text', (c) => c.notNull())
    .addColumn('attribute', 'text', (c) => c.notNull())
    .addColumn('value', 'text', bytewise)
    .addColumn('sub', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('user_search_pk', ['pool_id', 'attribute', 'value', 'sub'])
    .addForeignKeyConstraint('user_search_user', ['pool_id', 'sub'], 'users', ['pool_id', 'sub'], (c) => c.onDelete('cascade'))
    .execute();
  await db.schema.createIndex('user_search_by_user').on('user_search').columns(['pool_id', 'sub']).execute();
}
