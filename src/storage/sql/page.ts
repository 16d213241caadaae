import type { Page } from '../types.js';

/** Turns "one more row than asked for" into a page and the key to continue after. */
export function page<T>(rows: T[], limit: number, keyOf: (item: T) => string): Page<T> {
  if (rows.length <= limit) return { items: rows };
  const items = rows.slice(0, limit);
  return { items, nextKey: keyOf(items[items.length - 1]!) };
}
