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
    if (typeof after === 'string') return after;
  } catch {
    // fall through to the Cognito error below
  }
  throw invalidParameter(`Invalid ${name}.`);
}
