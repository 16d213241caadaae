import type { Kysely, Selectable } from 'kysely';
import type { GroupRecord, GroupStore, Page, UserRecord } from '../types.js';
import { page } from './page.js';
import type { Database } from './schema.js';
import { prepared } from './prepared.js';
import { toUser } from './sql-user-store.js';

type GroupRow = Selectable<Database['user_groups']>;
type Member = Pick<UserRecord, 'sub' | 'usernameKey'>;

function toGroup(row: GroupRow): GroupRecord {
  return {
    poolId: row.pool_id,
    name: row.name,
    nameKey: row.name_key,
    description: row.description,
    precedence: row.precedence === null ? null : Number(row.precedence),
    roleArn: row.role_arn,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
    version: Number(row.version),
  };
}

export class SqlGroupStore implements GroupStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly translate: (error: unknown) => never,
  ) {}

  async insert(group: GroupRecord): Promise<void> {
    await this.db
      .insertInto('user_groups')
      .values({
        pool_id: group.poolId,
        name_key: group.nameKey,
        name: group.name,
        description: group.description,
        precedence: group.precedence,
        role_arn: group.roleArn,
        created_at: group.createdAt,
        updated_at: group.updatedAt,
      })
      .execute()
      .catch(this.translate);
  }

  async get(poolId: string, nameKey: string): Promise<GroupRecord | undefined> {
    const row = await this.db.selectFrom('user_groups').selectAll().where('pool_id', '=', poolId).where('name_key', '=', nameKey).executeTakeFirst();
    return row && toGroup(row);
  }

  async update(group: GroupRecord): Promise<boolean> {
    const result = await this.db
      .updateTable('user_groups')
      .set((eb) => ({ description: group.description, precedence: group.precedence, role_arn: group.roleArn, updated_at: group.updatedAt, version: eb('version', '+', 1) }))
      .where('pool_id', '=', group.poolId)
      .where('name_key', '=', group.nameKey)
      .where('version', '=', group.version)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async delete(poolId: string, nameKey: string): Promise<boolean> {
    const result = await this.db.deleteFrom('user_groups').where('pool_id', '=', poolId).where('name_key', '=', nameKey).executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  async list(poolId: string, limit: number, afterKey?: string): Promise<Page<GroupRecord>> {
    let query = this.db.selectFrom('user_groups').selectAll().where('pool_id', '=', poolId).orderBy('name_key').limit(limit + 1);
    if (afterKey !== undefined) query = query.where('name_key', '>', afterKey);
    return page((await query.execute()).map(toGroup), limit, (group) => group.nameKey);
  }

  async count(poolId: string): Promise<number> {
    const row = await this.db.selectFrom('user_groups').select((eb) => eb.fn.countAll<number>().as('groups')).where('pool_id', '=', poolId).executeTakeFirstOrThrow();
    return Number(row.groups);
  }

  async addMember(group: GroupRecord, user: Member): Promise<boolean> {
    try {
      await this.db
        .insertInto('group_members')
        .values({ pool_id: group.poolId, group_key: group.nameKey, username_key: user.usernameKey, sub: user.sub })
        .onConflict((conflict) => conflict.columns(['pool_id', 'group_key', 'username_key']).doNothing())
        .execute();
      return true;
    } catch (error) {
      // The group or the user was deleted since the caller read them.
      if (isForeignKeyViolation(error)) return false;
      throw error;
    }
  }

  async removeMember(group: GroupRecord, user: Member): Promise<void> {
    await this.db
      .deleteFrom('group_members')
      .where('pool_id', '=', group.poolId)
      .where('group_key', '=', group.nameKey)
      .where('username_key', '=', user.usernameKey)
      .execute();
  }

  /** One range of the membership key joined to the users: the same cost per page at any group size. */
  async listMembers(poolId: string, nameKey: string, limit: number, afterKey?: string): Promise<Page<UserRecord>> {
    let query = this.db
      .selectFrom('group_members as m')
      .innerJoin('users as u', (join) => join.onRef('u.pool_id', '=', 'm.pool_id').onRef('u.sub', '=', 'm.sub'))
      .selectAll('u')
      .where('m.pool_id', '=', poolId)
      .where('m.group_key', '=', nameKey)
      .orderBy('m.username_key')
      .limit(limit + 1);
    if (afterKey !== undefined) query = query.where('m.username_key', '>', afterKey);
    return page((await query.execute()).map(toUser), limit, (user) => user.usernameKey);
  }

  async listForUser(poolId: string, sub: string, limit: number, afterKey?: string): Promise<Page<GroupRecord>> {
    let query = this.groupsOf(poolId, sub).limit(limit + 1);
    if (afterKey !== undefined) query = query.where('m.group_key', '>', afterKey);
    return page((await query.execute()).map(toGroup), limit, (group) => group.nameKey);
  }

  private readonly allGroupsOf = prepared(() => this.db, 2, (_db, poolId: string, sub: string) => this.groupsOf(poolId, sub));

  /** Read at every token mint. */
  async allForUser(poolId: string, sub: string): Promise<GroupRecord[]> {
    return (await this.allGroupsOf(poolId, sub)).map(toGroup);
  }

  /** The (pool, sub, group) index joined to the groups, in name-key order. */
  private groupsOf(poolId: string, sub: string) {
    return this.db
      .selectFrom('group_members as m')
      .innerJoin('user_groups as g', (join) => join.onRef('g.pool_id', '=', 'm.pool_id').onRef('g.name_key', '=', 'm.group_key'))
      .selectAll('g')
      .where('m.pool_id', '=', poolId)
      .where('m.sub', '=', sub)
      .orderBy('m.group_key');
  }
}

/** PostgreSQL's foreign_key_violation, or SQLite's extended constraint code. */
const isForeignKeyViolation = (error: unknown): boolean => {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '23503' || code === 'SQLITE_CONSTRAINT_FOREIGNKEY';
};
