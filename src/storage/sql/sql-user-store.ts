import type { Kysely, Selectable, Transaction } from 'kysely';
import {
  DuplicateKeyError,
  InvalidPageKeyError,
  type AliasKey,
  type Page,
  type SignInAttempts,
  type UserFilter,
  type UserRecord,
  type UserStatus,
  type UserStore,
  type UserWrite,
} from '../types.js';
import type { Database } from './schema.js';
import { prepared } from './prepared.js';

/** Greater than any character, so `[value, value + TOP)` is exactly the strings starting with value. */
const TOP = '\u{10FFFF}';

type UserRow = Selectable<Database['users']>;

export function toUser(row: UserRow): UserRecord {
  return {
    poolId: row.pool_id,
    sub: row.sub,
    username: row.username,
    usernameKey: row.username_key,
    status: row.status as UserStatus,
    enabled: Number(row.enabled) === 1,
    passwordHash: row.password_hash,
    passwordExpiresAt: row.password_expires_at === null ? null : Number(row.password_expires_at),
    srpVerifier: row.srp_verifier,
    attributes: JSON.parse(row.attributes),
    settings: JSON.parse(row.settings),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
    version: Number(row.version),
  };
}

/** The columns a user write sets; the lockout's columns change only on their own, the version only by the store. */
function toRow(user: UserRecord): Omit<UserRow, 'failed_sign_ins' | 'last_failed_sign_in' | 'sign_ins_in_flight' | 'last_sign_in_started_at' | 'version'> {
  return {
    pool_id: user.poolId,
    sub: user.sub,
    username: user.username,
    username_key: user.usernameKey,
    status: user.status,
    enabled: user.enabled ? 1 : 0,
    password_hash: user.passwordHash,
    password_expires_at: user.passwordExpiresAt,
    srp_verifier: user.srpVerifier,
    attributes: JSON.stringify(user.attributes),
    settings: JSON.stringify(user.settings),
    created_at: user.createdAt,
    updated_at: user.updatedAt,
  };
}

export class SqlUserStore implements UserStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly isDuplicateKey: (error: unknown) => boolean,
  ) {}

  async write(writes: UserWrite[], inserting: ReadonlySet<string>): Promise<boolean> {
    try {
      await this.db.transaction().execute(async (trx) => {
        for (const write of writes) await this.writeOne(trx, write, inserting.has(write.user.sub));
      });
      return true;
    } catch (error) {
      if (error instanceof StaleWrite) return false;
      throw error;
    }
  }

  private async writeOne(trx: Transaction<Database>, { user, aliases, search }: UserWrite, insert: boolean): Promise<void> {
    const row = toRow(user);
    if (insert) {
      await this.unique(trx.insertInto('users').values(row).execute(), 'username');
      await trx.updateTable('user_pools').set((eb) => ({ user_count: eb('user_count', '+', 1) })).where('id', '=', user.poolId).execute();
    } else {
      const { pool_id: _pool, sub: _sub, created_at: _created, ...changes } = row;
      const { numUpdatedRows } = await this.unique(
        trx
          .updateTable('users')
          .set((eb) => ({ ...changes, version: eb('version', '+', 1) }))
          .where('pool_id', '=', user.poolId)
          .where('sub', '=', user.sub)
          .where('version', '=', user.version)
          .executeTakeFirst(),
        'username',
      );
      if (numUpdatedRows === 0n) throw new StaleWrite();
      await trx.deleteFrom('user_aliases').where('pool_id', '=', user.poolId).where('sub', '=', user.sub).execute();
      await trx.deleteFrom('user_search').where('pool_id', '=', user.poolId).where('sub', '=', user.sub).execute();
    }
    for (const alias of aliases) {
      await this.unique(
        trx.insertInto('user_aliases').values({ pool_id: user.poolId, kind: alias.kind, alias_key: alias.key, sub: user.sub }).execute(),
        alias.kind,
      );
    }
    const values = Object.entries(search).map(([attribute, value]) => ({ pool_id: user.poolId, attribute, value, sub: user.sub }));
    if (values.length > 0) await trx.insertInto('user_search').values(values).execute();
  }

  /** Awaits a statement, naming the unique key when it collides. */
  private async unique<T>(statement: Promise<T>, key: string): Promise<T> {
    try {
      return await statement;
    } catch (error) {
      if (this.isDuplicateKey(error)) throw new DuplicateKeyError((error as Error).message, key);
      throw error;
    }
  }

  async getSignInAttempts(poolId: string, sub: string): Promise<SignInAttempts | undefined> {
    const row = await this.db
      .selectFrom('users')
      .select(['failed_sign_ins', 'last_failed_sign_in', 'sign_ins_in_flight', 'last_sign_in_started_at'])
      .where('pool_id', '=', poolId)
      .where('sub', '=', sub)
      .executeTakeFirst();
    const time = (value: number | null) => (value === null ? null : Number(value));
    return (
      row && {
        failures: Number(row.failed_sign_ins),
        lastFailureAt: time(row.last_failed_sign_in),
        inFlight: Number(row.sign_ins_in_flight),
        lastStartedAt: time(row.last_sign_in_started_at),
      }
    );
  }

  async swapSignInAttempts(poolId: string, sub: string, expected: SignInAttempts, next: SignInAttempts): Promise<boolean> {
    const { numUpdatedRows } = await this.db
      .updateTable('users')
      .set({ failed_sign_ins: next.failures, last_failed_sign_in: next.lastFailureAt, sign_ins_in_flight: next.inFlight, last_sign_in_started_at: next.lastStartedAt })
      .where('pool_id', '=', poolId)
      .where('sub', '=', sub)
      .where('failed_sign_ins', '=', expected.failures)
      .where('last_failed_sign_in', expected.lastFailureAt === null ? 'is' : '=', expected.lastFailureAt)
      .where('sign_ins_in_flight', '=', expected.inFlight)
      .where('last_sign_in_started_at', expected.lastStartedAt === null ? 'is' : '=', expected.lastStartedAt)
      .executeTakeFirst();
    return numUpdatedRows > 0n;
  }

  private readonly bySub = prepared(() => this.db, 2, (db, poolId: string, sub: string) => db.selectFrom('users').selectAll().where('pool_id', '=', poolId).where('sub', '=', sub));
  private readonly byUsername = prepared(() => this.db, 2, (db, poolId: string, usernameKey: string) =>
    db.selectFrom('users').selectAll().where('pool_id', '=', poolId).where('username_key', '=', usernameKey),
  );
  private readonly byAlias = prepared(() => this.db, 3, (db, poolId: string, kind: string, key: string) =>
    db
      .selectFrom('user_aliases as a')
      .innerJoin('users as u', (join) => join.onRef('u.pool_id', '=', 'a.pool_id').onRef('u.sub', '=', 'a.sub'))
      .selectAll('u')
      .where('a.pool_id', '=', poolId)
      .where('a.kind', '=', kind)
      .where('a.alias_key', '=', key),
  );

  async getBySub(poolId: string, sub: string): Promise<UserRecord | undefined> {
    const [row] = await this.bySub(poolId, sub);
    return row && toUser(row);
  }

  async getByUsername(poolId: string, usernameKey: string): Promise<UserRecord | undefined> {
    const [row] = await this.byUsername(poolId, usernameKey);
    return row && toUser(row);
  }

  async getByAlias(poolId: string, alias: AliasKey): Promise<UserRecord | undefined> {
    const [row] = await this.byAlias(poolId, alias.kind, alias.key);
    return row && toUser(row);
  }

  async delete(poolId: string, sub: string): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const result = await trx.deleteFrom('users').where('pool_id', '=', poolId).where('sub', '=', sub).executeTakeFirst();
      if (result.numDeletedRows === 0n) return false;
      await trx.updateTable('user_pools').set((eb) => ({ user_count: eb('user_count', '-', 1) })).where('id', '=', poolId).execute();
      return true;
    });
  }

  list(poolId: string, limit: number, filter?: UserFilter, after?: string): Promise<Page<UserRecord>> {
    return filter ? this.listFiltered(poolId, limit, filter, after) : this.listAll(poolId, limit, after);
  }

  private async listAll(poolId: string, limit: number, after?: string): Promise<Page<UserRecord>> {
    let query = this.db.selectFrom('users').selectAll().where('pool_id', '=', poolId).orderBy('username_key').limit(limit + 1);
    if (after !== undefined) query = query.where('username_key', '>', after);
    const rows = await query.execute();
    const items = rows.slice(0, limit).map(toUser);
    return rows.length > limit ? { items, nextKey: items[items.length - 1]!.usernameKey } : { items };
  }

  /** One range of the (attribute, value, sub) index: `=` is a point, `^=` a prefix range; each shape compiled once. */
  private async listFiltered(poolId: string, limit: number, filter: UserFilter, after?: string): Promise<Page<UserRecord>> {
    const { attribute, value } = filter;
    const key = after === undefined ? undefined : parseSearchKey(after);
    const rows = filter.prefix
      ? key
        ? await this.prefixAfter(poolId, attribute, value, value + TOP, limit + 1, ...key)
        : await this.prefixFirst(poolId, attribute, value, value + TOP, limit + 1)
      : key
        ? await this.pointAfter(poolId, attribute, value, limit + 1, ...key)
        : await this.pointFirst(poolId, attribute, value, limit + 1);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    const items = page.map(({ search_value: _value, ...row }) => toUser(row));
    return rows.length > limit && last ? { items, nextKey: JSON.stringify([last.search_value, last.sub]) } : { items };
  }

  private readonly pointFirst = prepared(() => this.db, 4, (db, poolId: string, attribute: string, value: string, take: number) =>
    searchRange(db, poolId, attribute, take).where('s.value', '=', value),
  );
  private readonly pointAfter = prepared(() => this.db, 6, (db, poolId: string, attribute: string, value: string, take: number, afterValue: string, afterSub: string) =>
    afterKey(searchRange(db, poolId, attribute, take).where('s.value', '=', value), afterValue, afterSub),
  );
  private readonly prefixFirst = prepared(() => this.db, 5, (db, poolId: string, attribute: string, from: string, below: string, take: number) =>
    searchRange(db, poolId, attribute, take).where('s.value', '>=', from).where('s.value', '<', below),
  );
  private readonly prefixAfter = prepared(
    () => this.db,
    7,
    (db, poolId: string, attribute: string, from: string, below: string, take: number, afterValue: string, afterSub: string) =>
      afterKey(searchRange(db, poolId, attribute, take).where('s.value', '>=', from).where('s.value', '<', below), afterValue, afterSub),
  );
}

/** The users of one attribute's search index, in (value, sub) order. */
const searchRange = (db: Kysely<Database>, poolId: string, attribute: string, take: number) =>
  db
    .selectFrom('user_search as s')
    .innerJoin('users as u', (join) => join.onRef('u.pool_id', '=', 's.pool_id').onRef('u.sub', '=', 's.sub'))
    .selectAll('u')
    .select('s.value as search_value')
    .where('s.pool_id', '=', poolId)
    .where('s.attribute', '=', attribute)
    .orderBy('s.value')
    .orderBy('s.sub')
    .limit(take);

const afterKey = <Q extends ReturnType<typeof searchRange>>(query: Q, value: string, sub: string) =>
  query.where((eb) => eb(eb.refTuple('s.value', 's.sub'), '>', eb.tuple(value, sub)));

/** Thrown inside a write's transaction to roll it back when a user changed since it was read. */
class StaleWrite extends Error {}

/** The `[value, sub]` a filtered page ended on. */
function parseSearchKey(after: string): [string, string] {
  let key: unknown;
  try {
    key = JSON.parse(after);
  } catch {
    throw new InvalidPageKeyError('not JSON');
  }
  if (Array.isArray(key) && key.length === 2 && key.every((part) => typeof part === 'string')) return key as [string, string];
  throw new InvalidPageKeyError('not a [value, sub] pair');
}
