import type { PasswordPolicyType } from '@aws-sdk/client-cognito-identity-provider';
import { randomInt } from 'node:crypto';

/**
 * Character classes without look-alikes (0/O/o, 1/l/I, 5/S, 2/Z, 8/B) and, for symbols, without
 * the ones that get lost or mangled when a person copies an invitation e-mail or SMS into a form:
 * quotes, backslash, backtick, space, `|`, and `.`/`,` at the end of a sentence.
 */
const UPPERCASE = 'ACDEFGHJKLMNPQRTUVWXY';
const LOWERCASE = 'abcdefghijkmnpqrstuvwxyz';
const NUMERIC = '34679';
const SYMBOLS = '!#$%&*+-=?@^_';
const ANY = UPPERCASE + LOWERCASE + NUMERIC + SYMBOLS;

/** Never shorter than this, however lax the policy: the password travels in clear text. */
const MINIMUM_GENERATED_LENGTH = 12;
const DEFAULT_MINIMUM_LENGTH = 8;

/**
 * A temporary password for AdminCreateUser when the administrator gives none. It has one
 * character of every class the policy requires, the rest drawn from all classes, shuffled, so it
 * always passes checkPassword for the same policy.
 */
export function generateTemporaryPassword(policy: PasswordPolicyType): string {
  const length = Math.max(policy.MinimumLength ?? DEFAULT_MINIMUM_LENGTH, MINIMUM_GENERATED_LENGTH);
  const required = [
    policy.RequireUppercase && UPPERCASE,
    policy.RequireLowercase && LOWERCASE,
    policy.RequireNumbers && NUMERIC,
    policy.RequireSymbols && SYMBOLS,
  ].filter((alphabet): alphabet is string => Boolean(alphabet));
  const characters = required.map(pick);
  while (characters.length < length) characters.push(pick(ANY));
  return shuffle(characters).join('');
}

const pick = (alphabet: string): string => alphabet[randomInt(alphabet.length)];

/** Fisher–Yates, so the required characters are not always at the front. */
function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}
