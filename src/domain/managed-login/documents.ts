import { DuplicateKeyError, type Page, type PoolDocumentKind, type PoolDocumentRecord, type PoolDocumentStore } from '../../storage/types.js';
import type { CognitoError } from '../errors.js';
import { untilWritten } from '../optimistic.js';
import type { UserPools } from '../pools/user-pools.js';

/** Large enough that a pool's documents of one kind take a page or two. */
const PAGE = 100;

/** Every document of one kind in a pool: the scans behind the rules the store does not enforce (one per client, one per name). */
export async function allDocuments<Body>(store: PoolDocumentStore, poolId: string, kind: PoolDocumentKind): Promise<PoolDocumentRecord<Body>[]> {
  const documents: PoolDocumentRecord<Body>[] = [];
  let after: string | undefined;
  do {
    const page = await store.list<Body>(poolId, kind, PAGE, after);
    documents.push(...page.items);
    after = page.nextKey;
  } while (after !== undefined);
  return documents;
}

/**
 * Inserts a document that must be alone in its slot (one prefix domain per pool, one branding style
 * per app client, one terms document of a name per client). The store enforces unique keys only, so
 * the slot is checked before the insert and again after it: two requests that both passed the first
 * check each find the other in the second, withdraw their own document and start over, when the first
 * check tells whether a rival stayed. A request that kept its document saw no rival after inserting,
 * so every rival inserted later, saw it, and withdrew.
 */
export async function insertAlone<Body>(
  store: PoolDocumentStore,
  document: PoolDocumentRecord<Body>,
  occupants: () => Promise<PoolDocumentRecord<Body>[]>,
  taken: () => CognitoError,
): Promise<void> {
  await untilWritten(async () => {
    if ((await occupants()).length > 0) throw taken();
    await store.insert(document);
    if ((await occupants()).every((other) => other.key === document.key)) return true;
    await store.delete(document.poolId, document.kind, document.key);
    return false;
  });
}

/** Writes `body` under the key whether or not a document is there yet; a lost race is run again on what won. */
export async function upsertDocument<Body>(
  store: PoolDocumentStore,
  target: Pick<PoolDocumentRecord, 'poolId' | 'kind' | 'key'>,
  body: Body,
  now: number,
): Promise<PoolDocumentRecord<Body>> {
  let written!: PoolDocumentRecord<Body>;
  await untilWritten(async () => {
    const current = await store.get<Body>(target.poolId, target.kind, target.key);
    if (!current) {
      written = { ...target, body, createdAt: now, updatedAt: now, version: 0 };
      return insertedUnlessTaken(store, written);
    }
    written = { ...current, body, updatedAt: now, version: current.version + 1 };
    return store.update({ ...written, version: current.version });
  });
  return written;
}

async function insertedUnlessTaken(store: PoolDocumentStore, document: PoolDocumentRecord): Promise<boolean> {
  try {
    await store.insert(document);
    return true;
  } catch (error) {
    if (error instanceof DuplicateKeyError) return false;
    throw error;
  }
}

/**
 * Cognito's version strings (a domain's Version, a UI customization's CSSVersion) are the time of the
 * write as UTC digits, e.g. `20190128175402`.
 */
export const versionStamp = (ms: number): string => new Date(ms).toISOString().replace(/\D/g, '').slice(0, 14);

/**
 * One kind of a pool's documents kept by name (resource servers, identity providers): the pool
 * checked on every call, and the collection's own exceptions for a name taken or missing.
 */
export class NamedDocuments<Body> {
  constructor(
    private readonly store: PoolDocumentStore,
    private readonly pools: UserPools,
    private readonly kind: PoolDocumentKind,
    private readonly errors: { taken: (key: string, poolId: string) => CognitoError; missing: (key: string) => CognitoError },
  ) {}

  async insert(document: PoolDocumentRecord<Body>): Promise<void> {
    try {
      await this.store.insert(document);
    } catch (error) {
      if (error instanceof DuplicateKeyError) throw this.errors.taken(document.key, document.poolId);
      throw error;
    }
  }

  async get(poolId: string, key: string): Promise<PoolDocumentRecord<Body>> {
    const pool = await this.pools.get(poolId);
    const document = await this.store.get<Body>(pool.id, this.kind, key);
    if (!document) throw this.errors.missing(key);
    return document;
  }

  async list(poolId: string, limit: number, after?: string): Promise<Page<PoolDocumentRecord<Body>>> {
    const pool = await this.pools.get(poolId);
    return this.store.list<Body>(pool.id, this.kind, limit, after);
  }

  /** Every document of the kind in the pool (the pool is not checked: callers already hold it). */
  all(poolId: string): Promise<PoolDocumentRecord<Body>[]> {
    return allDocuments<Body>(this.store, poolId, this.kind);
  }

  async delete(poolId: string, key: string): Promise<void> {
    const pool = await this.pools.get(poolId);
    if (!(await this.store.delete(pool.id, this.kind, key))) throw this.errors.missing(key);
  }
}
