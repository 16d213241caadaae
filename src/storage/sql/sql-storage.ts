import { Kysely, Migrator, sql, type Selectable } from 'kysely';
import { latestMigration, migrationProvider } from '../migrations/index.js';
import {
  DuplicateKeyError,
  type ClientRecord,
  type ClientStore,
  type Page,
  type PoolRecord,
  type PoolDocumentStore,
  type PoolStore,
  type SigningKeyRecord,
  type SigningKeyStore,
  type Storage,
  type KeyPurpose,
  type UserStore,
  type TokenFamilyStore,
  type AuthSessionStore,
  type VerificationCodeStore,
  type DeviceStore,
  type GroupStore,
  type AttemptCountStore,
  type ImportJobStore,
  type OutboxStore,
  type AuthEventStore,
  type UserSessionStore,
} from '../types.js';
import type { Database } from './schema.js';
import { SqlAuthSessionStore, SqlTokenFamilyStore } from './sql-token-stores.js';
import { SqlVerificationCodeStore } from './sql-code-store.js';
import { SqlUserStore } from './sql-user-store.js';
import { SqlDeviceStore } from './sql-device-store.js';
import { SqlAttemptCountStore } from './sql-attempt-stores.js';
import { SqlGroupStore } from './sql-group-store.js';
import { SqlPoolDocumentStore } from './sql-pool-document-store.js';
import { SqlImportJobStore } from './sql-import-job-store.js';
import { SqlOutboxStore } from './sql-outbox-store.js';
import { SqlAuthEventStore } from './sql-auth-event-store.js';
import { SqlUserSessionStore } from './sql-user-session-store.js';
import { page } from './page.js';
import { prepared } from './prepared.js';

/**
 * One implementation of the storage contract for both engines: Kysely writes the
 * dialect-specific SQL, so SQLite and PostgreSQL differ only in how they are opened.
 */
export class SqlStorage implements Storage {
  readonly pools: PoolStore;
  readonly clients: ClientStore;
  readonly signingKeys: SigningKeyStore;
  readonly users: UserStore;
  readonly tokenFamilies: TokenFamilyStore;
  readonly authSessions: AuthSessionStore;
  readonly verificationCodes: VerificationCodeStore;
  readonly devices: DeviceStore;
  readonly groups: GroupStore;
  readonly attemptCounts: AttemptCountStore;
  readonly poolDocuments: PoolDocumentStore;
  readonly importJobs: ImportJobStore;
  readonly outbox: OutboxStore;
  readonly authEvents: AuthEventStore;
  readonly userSessions: UserSessionStore;

  constructor(
    readonly kind: 'sqlite' | 'postgres',
    private readonly db: Kysely<Database>,
    private readonly isDuplicateKey: (error: unknown) => boolean,
    private readonly connections?: () => { total: number; idle: number; waiting: number },
  ) {
    this.pools = new SqlPoolStore(db, this.translate);
    this.clients = new SqlClientStore(db, this.translate);
    this.signingKeys = new SqlSigningKeyStore(db);
    this.users = new SqlUserStore(db, isDuplicateKey);
    this.tokenFamilies = new SqlTokenFamilyStore(db);
    this.authSessions = new SqlAuthSessionStore(db);
    this.verificationCodes = new SqlVerificationCodeStore(db);
    this.devices = new SqlDeviceStore(db);
    this.groups = new SqlGroupStore(db, this.translate);
    this.attemptCounts = new SqlAttemptCountStore(db);
    this.poolDocuments = new SqlPoolDocumentStore(db, this.translate);
    this.importJobs = new SqlImportJobStore(db, this.translate);
    this.outbox = new SqlOutboxStore(db);
    this.authEvents = new SqlAuthEventStore(db);
    this.userSessions = new SqlUserSessionStore(db);
  }

  /** Applies every pending migration; safe when several nodes start at once on PostgreSQL. */
  async migrate(): Promise<void> {
    const { error } = await new Migrator({ db: this.db, provider: migrationProvider }).migrateToLatest();
    if (error) throw error;
  }

  async ping(): Promise<boolean> {
    try {
      await sql`select 1`.execute(this.db);
      return true;
    } catch {
      return false;
    }
  }

  async readiness(): Promise<'ready' | 'database unreachable' | 'migrations pending'> {
    try {
      const applied = await sql<{ name: string }>`select name from kysely_migration order by name desc limit 1`.execute(this.db);
      return applied.rows[0]?.name === latestMigration ? 'ready' : 'migrations pending';
    } catch {
      return (await this.ping()) ? 'migrations pending' : 'database unreachable';
    }
  }

  poolStats(): { total: number; idle: number; waiting: number } | undefined {
    return this.connections?.();
  }

  close(): Promise<void> {
    return this.db.destroy();
  }

  private readonly translate = (error: unknown): never => {
    if (this.isDuplicateKey(error)) throw new DuplicateKeyError((error as Error).message);
    throw error;
  };
}

type Translate = (error: unknown) => never;

const MAX_PARSED_POOLS = 1000;
const MAX_PARSED_CLIENTS = 10_000;

const sameColumns = <T extends object>(a: T, b: T): boolean => (Object.keys(a) as (keyof T)[]).every((column) => a[column] === b[column]);

/** Every write moves the version on; the user count is kept apart from it. */
const sameRow = (a: Pick<Selectable<Database['user_pools']>, 'version' | 'user_count'>, b: Pick<Selectable<Database['user_pools']>, 'version' | 'user_count'>) =>
  Number(a.version) === Number(b.version) && Number(a.user_count) === Number(b.user_count);

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

const json = (value: unknown) => JSON.stringify(value);

function toPool(row: Selectable<Database['user_pools']>): PoolRecord {
  return {
    id: row.id,
    name: row.name,
    config: JSON.parse(row.config),
    tags: JSON.parse(row.tags),
    userCount: Number(row.user_count),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
    version: Number(row.version),
  };
}

function toClient(row: Selectable<Database['user_pool_clients']>): ClientRecord {
  return {
    clientId: row.client_id,
    poolId: row.pool_id,
    name: row.name,
    secret: row.secret,
    config: JSON.parse(row.config),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
    version: Number(row.version),
  };
}

function toSigningKey(row: Selectable<Database['signing_keys']>): SigningKeyRecord {
  return {
    kid: row.kid,
    poolId: row.pool_id,
    purpose: row.purpose as KeyPurpose,
    privateKeyPem: row.private_key,
    publicJwk: JSON.parse(row.public_jwk),
    createdAt: Number(row.created_at),
  };
}

class SqlPoolStore implements PoolStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly translate: Translate,
  ) {}

  async insert(pool: PoolRecord, keys: SigningKeyRecord[]): Promise<void> {
    await this.db
      .transaction()
      .execute(async (trx) => {
        await trx
          .insertInto('user_pools')
          .values({
            id: pool.id,
            name: pool.name,
            config: json(pool.config),
            tags: json(pool.tags),
            created_at: pool.createdAt,
            updated_at: pool.updatedAt,
          })
          .execute();
        if (keys.length === 0) return;
        await trx
          .insertInto('signing_keys')
          .values(
            keys.map((key) => ({
              kid: key.kid,
              pool_id: key.poolId,
              purpose: key.purpose,
              private_key: key.privateKeyPem,
              public_jwk: json(key.publicJwk),
              created_at: key.createdAt,
            })),
          )
          .execute();
      })
      .catch(this.translate);
  }

  /**
   * Parsed pools by id, with the row they came from. Every call still reads the row, so another
   * node's change is seen at once; only when the row is byte-for-byte the same is the parse
   * skipped. The cached records are frozen, since callers share them.
   */
  private readonly parsed = new Map<string, { row: Selectable<Database['user_pools']>; pool: PoolRecord }>();

  private readonly versionOf = prepared(() => this.db, 1, (db, id: string) => db.selectFrom('user_pools').select(['version', 'user_count']).where('id', '=', id));
  private readonly rowOf = prepared(() => this.db, 1, (db, id: string) => db.selectFrom('user_pools').selectAll().where('id', '=', id));

  async get(id: string): Promise<PoolRecord | undefined> {
    const cached = this.parsed.get(id);
    // A pool read on every request: the version (and count) alone says whether the parsed copy still holds.
    if (cached) {
      const [current] = await this.versionOf(id);
      if (current && sameRow(cached.row, current)) return cached.pool;
    }
    const [row] = await this.rowOf(id);
    if (!row) {
      this.parsed.delete(id);
      return undefined;
    }
    const pool = deepFreeze(toPool(row));
    if (this.parsed.size >= MAX_PARSED_POOLS) this.parsed.clear();
    this.parsed.set(id, { row, pool });
    return pool;
  }

  async update(pool: PoolRecord): Promise<boolean> {
    const result = await this.db
      .updateTable('user_pools')
      .set((eb) => ({ name: pool.name, config: json(pool.config), tags: json(pool.tags), updated_at: pool.updatedAt, version: eb('version', '+', 1) }))
      .where('id', '=', pool.id)
      .where('version', '=', pool.version)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async delete(id: string): Promise<boolean> {
    const result = await this.db.deleteFrom('user_pools').where('id', '=', id).executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  async list(limit: number, afterId?: string): Promise<Page<PoolRecord>> {
    let query = this.db.selectFrom('user_pools').selectAll().orderBy('id').limit(limit + 1);
    if (afterId !== undefined) query = query.where('id', '>', afterId);
    return page((await query.execute()).map(toPool), limit, (pool) => pool.id);
  }

  async findByName(name: string): Promise<PoolRecord[]> {
    const rows = await this.db.selectFrom('user_pools').selectAll().where('name', '=', name).orderBy('id').execute();
    return rows.map(toPool);
  }
}

class SqlClientStore implements ClientStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly translate: Translate,
  ) {}

  async insert(client: ClientRecord): Promise<void> {
    await this.db
      .insertInto('user_pool_clients')
      .values({
        client_id: client.clientId,
        pool_id: client.poolId,
        name: client.name,
        secret: client.secret,
        config: json(client.config),
        created_at: client.createdAt,
        updated_at: client.updatedAt,
      })
      .execute()
      .catch(this.translate);
  }

  private readonly byPoolAndId = prepared(() => this.db, 2, (db, poolId: string, clientId: string) =>
    db.selectFrom('user_pool_clients').selectAll().where('client_id', '=', clientId).where('pool_id', '=', poolId),
  );
  private readonly byId = prepared(() => this.db, 1, (db, clientId: string) => db.selectFrom('user_pool_clients').selectAll().where('client_id', '=', clientId));

  /** Parsed clients by id with the row they came from: read on every call, parsed only when the row changed. */
  private readonly parsed = new Map<string, { row: Selectable<Database['user_pool_clients']>; client: ClientRecord }>();

  async get(poolId: string, clientId: string): Promise<ClientRecord | undefined> {
    const [row] = await this.byPoolAndId(poolId, clientId);
    return row && this.parsedClient(row);
  }

  /** The cached records are frozen, since callers share them. */
  private parsedClient(row: Selectable<Database['user_pool_clients']>): ClientRecord {
    const cached = this.parsed.get(row.client_id);
    if (cached && sameColumns(cached.row, row)) return cached.client;
    const client = deepFreeze(toClient(row));
    if (this.parsed.size >= MAX_PARSED_CLIENTS) this.parsed.clear();
    this.parsed.set(row.client_id, { row, client });
    return client;
  }

  async update(client: ClientRecord): Promise<boolean> {
    const result = await this.db
      .updateTable('user_pool_clients')
      .set((eb) => ({ name: client.name, secret: client.secret, config: json(client.config), updated_at: client.updatedAt, version: eb('version', '+', 1) }))
      .where('client_id', '=', client.clientId)
      .where('pool_id', '=', client.poolId)
      .where('version', '=', client.version)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async delete(poolId: string, clientId: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('user_pool_clients')
      .where('client_id', '=', clientId)
      .where('pool_id', '=', poolId)
      .executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  async findById(clientId: string): Promise<ClientRecord | undefined> {
    const [row] = await this.byId(clientId);
    return row && this.parsedClient(row);
  }

  async findByName(poolId: string, name: string): Promise<ClientRecord | undefined> {
    const row = await this.db
      .selectFrom('user_pool_clients')
      .selectAll()
      .where('pool_id', '=', poolId)
      .where('name', '=', name)
      .orderBy('client_id')
      .executeTakeFirst();
    return row && toClient(row);
  }

  async list(poolId: string, limit: number, afterId?: string): Promise<Page<ClientRecord>> {
    let query = this.db
      .selectFrom('user_pool_clients')
      .selectAll()
      .where('pool_id', '=', poolId)
      .orderBy('client_id')
      .limit(limit + 1);
    if (afterId !== undefined) query = query.where('client_id', '>', afterId);
    return page((await query.execute()).map(toClient), limit, (client) => client.clientId);
  }

  async listWithSecrets(): Promise<ClientRecord[]> {
    const rows = await this.db.selectFrom('user_pool_clients').selectAll().where('secret', 'is not', null).orderBy('client_id').execute();
    return rows.map(toClient);
  }
}

class SqlSigningKeyStore implements SigningKeyStore {
  constructor(private readonly db: Kysely<Database>) {}

  async listForPool(poolId: string): Promise<SigningKeyRecord[]> {
    const rows = await this.db
      .selectFrom('signing_keys')
      .selectAll()
      .where('pool_id', '=', poolId)
      .orderBy('created_at')
      .orderBy('kid')
      .execute();
    return rows.map(toSigningKey);
  }

  async listAll(): Promise<SigningKeyRecord[]> {
    return (await this.db.selectFrom('signing_keys').selectAll().orderBy('kid').execute()).map(toSigningKey);
  }

  async replacePrivateKey(kid: string, privateKeyPem: string): Promise<void> {
    await this.db.updateTable('signing_keys').set({ private_key: privateKeyPem }).where('kid', '=', kid).execute();
  }
}
