import type { UserFilter } from '../../storage/types.js';
import { invalidParameter } from '../errors.js';
import { FILTERABLE_ATTRIBUTES } from './sign-in-names.js';

/** `attribute = "value"` or `attribute ^= "value"`, with `\"` and `\\` escapes inside the quotes. */
const FILTER = /^\s*([\w:]+)\s*(\^=|=)\s*"((?:[^"\\]|\\.)*)"\s*$/s;

/**
 * Parses ListUsers' Filter. An empty filter lists everyone. cognito:user_status compares
 * without regard to case, as Cognito documents; the other attributes compare exactly.
 */
export function parseUserFilter(filter: string | undefined): UserFilter | undefined {
  if (filter === undefined || filter.trim() === '') return undefined;
  const match = FILTER.exec(filter);
  if (!match) throw invalidParameter('Error while parsing filter.');
  const [, attribute, operator, quoted] = match as unknown as [string, string, string, string];
  if (!(FILTERABLE_ATTRIBUTES as readonly string[]).includes(attribute)) {
    throw invalidParameter(`Invalid search attribute: ${attribute}`);
  }
  const value = quoted.replace(/\\(.)/gs, '$1');
  return {
    attribute,
    value: attribute === 'cognito:user_status' ? value.toUpperCase() : value,
    prefix: operator === '^=',
  };
}
