import type { Kysely, Selectable } from 'kysely';
import type { AuthSessionRecord, AuthSessionStore, TokenFamilyRecord, TokenFamilyStore, UserRecord } from '../types.js';
import { toUser } from './sql-user-store.js';
import type { Database } from './schema.js';
import { prepared } from './prepared.js';

/** The user's columns read beside a family (its pool and sub are the family's). */
const HOLDER_COLUMNS = [
  'username',
  'username_key',
  'status',
  'enabled',
  'password_hash',
  'password_expires_at',
  'srp_verifier',
  'attributes',
  'settings',
  'failed_sign_ins',
  'last_failed_sign_in',
  'sign_ins_in_flight',
  'last_sign_in_started_at',
  'created_at',
  'updated_at',
  'version',
] as const;

function toFamily(row: Selectable<Database['token_families']>): TokenFamilyRecord {
  return {
    originJti: row.origin_jti,
    poolId: row.pool_id,
    clientId: row.client_id,
    sub: row.sub,
    refreshHash: row.refresh_hash,
    deviceKey: row.device_key,
    authTime: Number(row.auth_time),
    expiresAt: Number(row.expires_at),
    revoked: Number(row.revoked) === 1,
    previousRefreshHash: row.previous_refresh_hash,
    previousValidUntil: row.previous_valid_until === null ? null : Number(row.previous_valid_until),
    scopes: row.scopes === null ? null : row.scopes.split(' '),
  };
}

export class SqlTokenFamilyStore implements TokenFamilyStore {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(family: TokenFamilyRecord): Promise<void> {
    await this.db
      .insertInto('token_families')
      .values({
        origin_jti: family.originJti,
        pool_id: family.poolId,
        client_id: family.clientId,
        sub: family.sub,
        refresh_hash: family.refreshHash,
        device_key: family.deviceKey,
        auth_time: family.authTime,
        expires_at: family.expiresAt,
        revoked: family.revoked ? 1 : 0,
        previous_refresh_hash: family.previousRefreshHash,
        previous_valid_until: family.previousValidUntil,
        scopes: family.scopes === null ? null : family.scopes.join(' '),
      })
      .execute();
  }

  private readonly byRefreshHash = prepared(() => this.db, 1, (db, hash: string) => db.selectFrom('token_families').selectAll().where('refresh_hash', '=', hash));
  private readonly byPreviousHash = prepared(() => this.db, 1, (db, hash: string) => db.selectFrom('token_families').selectAll().where('previous_refresh_hash', '=', hash));
  private readonly withHolder = prepared(() => this.db, 1, (db, originJti: string) =>
    db
      .selectFrom('token_families as f')
      .leftJoin('users as u', (join) => join.onRef('u.pool_id', '=', 'f.pool_id').onRef('u.sub', '=', 'f.sub'))
      .selectAll('f')
      .select(HOLDER_COLUMNS.map((column) => `u.${column} as holder_${column}` as const))
      .where('f.origin_jti', '=', originJti),
  );

  async getByRefreshHash(refreshHash: string): Promise<TokenFamilyRecord | undefined> {
    const [current] = await this.byRefreshHash(refreshHash);
    const row = current ?? (await this.byPreviousHash(refreshHash))[0];
    return row && toFamily(row);
  }

  async rotate(
    originJti: string,
    expectedHash: string,
    next: Pick<TokenFamilyRecord, 'refreshHash' | 'previousRefreshHash' | 'previousValidUntil'>,
  ): Promise<boolean> {
    const result = await this.db
      .updateTable('token_families')
      .set({ refresh_hash: next.refreshHash, previous_refresh_hash: next.previousRefreshHash, previous_valid_until: next.previousValidUntil })
      .where('origin_jti', '=', originJti)
      .where('refresh_hash', '=', expectedHash)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async getWithHolder(originJti: string): Promise<{ family: TokenFamilyRecord; holder: UserRecord | undefined } | undefined> {
    const [row] = await this.withHolder(originJti);
    if (!row) return undefined;
    const family = toFamily(row);
    if (row.holder_username === null) return { family, holder: undefined };
    const columns = Object.fromEntries(HOLDER_COLUMNS.map((column) => [column, row[`holder_${column}`]]));
    return { family, holder: toUser({ ...columns, pool_id: family.poolId, sub: family.sub } as Selectable<Database['users']>) };
  }

  async revoke(originJti: string): Promise<void> {
    await this.db.updateTable('token_families').set({ revoked: 1 }).where('origin_jti', '=', originJti).execute();
  }

  async revokeAllForUser(poolId: string, sub: string): Promise<void> {
    await this.db.updateTable('token_families').set({ revoked: 1 }).where('pool_id', '=', poolId).where('sub', '=', sub).execute();
  }
}

export class SqlAuthSessionStore implements AuthSessionStore {
  private inserts = 0;

  constructor(private readonly db: Kysely<Database>) {}

  async insert(session: AuthSessionRecord, now: number): Promise<void> {
    // Sweeping on every insert would make sign-ins on several nodes fight over the same rows.
    if (++this.inserts % SWEEP_EVERY === 0) await this.db.deleteFrom('auth_sessions').where('expires_at', '<=', now).execute();
    const row = {
      id: session.id,
      pool_id: session.poolId,
      client_id: session.clientId,
      sub: session.sub,
      challenge: session.challenge,
      state: JSON.stringify(session.state),
      expires_at: session.expiresAt,
      used_at: null,
    };
    // A challenge may continue under the id of the one just answered (the device's proof after MFA
    // keeps the MFA's Session, as amazon-cognito-identity-js sends it): the used row gives way.
    const { id: _id, ...replacement } = row;
    await this.db
      .insertInto('auth_sessions')
      .values(row)
      .onConflict((conflict) => conflict.column('id').doUpdateSet(replacement))
      .execute();
  }

  async claim(session: AuthSessionRecord, now: number): Promise<boolean> {
    // An expired holder of the id no longer counts: it goes first, then the insert races on the key alone.
    await this.db.deleteFrom('auth_sessions').where('id', '=', session.id).where('expires_at', '<=', now).execute();
    const inserted = await this.db
      .insertInto('auth_sessions')
      .values({ id: session.id, pool_id: session.poolId, client_id: session.clientId, sub: session.sub, challenge: session.challenge, state: JSON.stringify(session.state), expires_at: session.expiresAt, used_at: now })
      .onConflict((conflict) => conflict.column('id').doNothing())
      .executeTakeFirst();
    return Number(inserted.numInsertedOrUpdatedRows ?? 0n) > 0;
  }

  async get(id: string, now: number): Promise<AuthSessionRecord | undefined> {
    const row = await this.db.selectFrom('auth_sessions').selectAll().where('id', '=', id).where('used_at', 'is', null).executeTakeFirst();
    return row && Number(row.expires_at) > now ? toSession(row) : undefined;
  }

  async consume(id: string, now: number): Promise<AuthSessionRecord | undefined> {
    // One conditional update makes the answer single-use even when two arrive at once on two nodes.
    const row = await this.db
      .updateTable('auth_sessions')
      .set({ used_at: now })
      .where('id', '=', id)
      .where('used_at', 'is', null)
      .returningAll()
      .executeTakeFirst();
    return row && Number(row.expires_at) > now ? toSession(row) : undefined;
  }

  async release(id: string): Promise<void> {
    await this.db.updateTable('auth_sessions').set({ used_at: null }).where('id', '=', id).execute();
  }

  async wasUsed(id: string, now: number): Promise<boolean> {
    const row = await this.db.selectFrom('auth_sessions').select(['used_at', 'expires_at']).where('id', '=', id).executeTakeFirst();
    return !!row && row.used_at !== null && Number(row.expires_at) > now;
  }
}

/** One insert in this many also deletes the sessions that have expired. */
const SWEEP_EVERY = 64;

function toSession(row: Selectable<Database['auth_sessions']>): AuthSessionRecord {
  return {
    id: row.id,
    poolId: row.pool_id,
    clientId: row.client_id,
    sub: row.sub,
    challenge: row.challenge,
    state: JSON.parse(row.state),
    expiresAt: Number(row.expires_at),
  };
}
