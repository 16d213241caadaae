import { invalidParameter } from './errors.js';

/**
 * Pagination tokens carry the last key a page ended on, so any node can continue a listing
 * and rows added or removed meanwhile neither repeat nor vanish from the rest of it.
 */
export const encodePageToken = (lastKey: string): string => Buffer.from(JSON.stringify({ after: lastKey })).toString('base64url');

export function decodePageToken(token: string | undefined, name = 'NextToken'): string | undefined {
  if (token === undefined) return undefined;
  try {
    const { after } = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { after?: unknown };
    // No key holds a NUL, and PostgreSQL refuses one in any text it is given.
    if (typeof after === 'string' && !after.includes('\u0000')) return after;
  } catch {
    // fall through to the Cognito error below
  }
  throw invalidParameter(`Invalid ${name}.`);
}

/** Cognito's `NextToken` for a page that may continue, or nothing for the last one. */
/** Every item of a keyset-paged listing, a page at a time. */
export async function* allPages<T>(page: (after: string | undefined) => Promise<{ items: T[]; nextKey?: string }>): AsyncGenerator<T> {
  let after: string | undefined;
  do {
    const { items, nextKey } = await page(after);
    yield* items;
    after = nextKey;
  } while (after !== undefined);
}

export const nextTokenOf = (page: { nextKey?: string }): { NextToken?: string } =>
  page.nextKey === undefined ? {} : { NextToken: encodePageToken(page.nextKey) };
