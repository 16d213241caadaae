import { DuplicateKeyError, type PoolDocumentKind, type PoolDocumentRecord, type PoolDocumentStore } from '../../storage/types.js';
import type { CognitoError } from '../errors.js';
import { untilWritten } from '../optimistic.js';

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
