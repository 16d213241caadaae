import { PostgresAdapter, sql, type ColumnDefinitionBuilder, type Kysely } from 'kysely';

/**
 * User pool groups and their members. A member row carries the user's username key beside the
 * sub, so one group's members are one range of the primary key in ListUsersInGroup's order, and
 * a page costs the same in a group of ten or of a million. Deleting a group, a user or a pool
 * takes the memberships with it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  // Keys are listed in byte order on both engines, as users are (see 0002).
  const bytewise = (c: ColumnDefinitionBuilder) =>
    db.getExecutor().adapter instanceof PostgresAdapter ? c.notNull().modifyEnd(sql`collate "C"`) : c.notNull();

  await db.schema
    .createTable('user_groups')
    .addColumn('pool_id', 'text', (c) => c.notNull().references('user_pools.id').onDelete('cascade'))
    .addColumn('name_key', 'text', bytewise)
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('precedence', 'bigint')
    .addColumn('role_arn', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('user_groups_pk', ['pool_id', 'name_key'])
    .execute();

  await db.schema
    .createTable('group_members')
    .addColumn('pool_id', 'text', (c) => c.notNull())
    .addColumn('group_key', 'text', bytewise)
    .addColumn('username_key', 'text', bytewise)
    .addColumn('sub', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('group_members_pk', ['pool_id', 'group_key', 'username_key'])
    .addForeignKeyConstraint('group_members_group', ['pool_id', 'group_key'], 'user_groups', ['pool_id', 'name_key'], (c) => c.onDelete('cascade'))
    .addForeignKeyConstraint('group_members_user', ['pool_id', 'sub'], 'users', ['pool_id', 'sub'], (c) => c.onDelete('cascade'))
    .execute();
  // A user's groups, for their tokens and AdminListGroupsForUser, and the cascade when the user goes.
  await db.schema.createIndex('group_members_by_user').on('group_members').columns(['pool_id', 'sub', 'group_key']).execute();
}
