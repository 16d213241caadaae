import { CognitoError } from '../errors.js';
import type { UserMfaState } from '../mfa/user-mfa-state.js';
import type { PoolSettings } from '../pools/pool-settings.js';
import { attributesAtCreation } from '../users/attribute-writes.js';
import { checkRequiredPresent } from '../users/user-attributes.js';
import type { NewUser } from '../users/users.js';
import { CSV_LIMITS, splitCsvLine } from './cognito-csv.js';
import { MFA_COLUMN, USERNAME_COLUMN } from './csv-header.js';

/** Why a row is not imported, in the words of Cognito's import log. */
export class RowFailure extends Error {}

const NO_AUTO_VERIFIED = 'The User Record does not set any of the auto verified attributes to true. (Example: email_verified to true).';

/**
 * The columns of a file, checked against the pool's header: every column present once, nothing
 * else. A file whose header is wrong cannot be parsed, and Cognito fails the whole job.
 */
export function readHeader(line: string, expected: readonly string[]): string[] {
  const columns = splitCsvLine(line);
  const known = new Set(expected);
  const seen = new Set<string>();
  for (const column of columns) {
    if (!known.has(column)) throw new RowFailure(`The header column ${column || '(empty)'} is not an attribute of this user pool.`);
    if (seen.has(column)) throw new RowFailure(`The header column ${column} appears more than once.`);
    seen.add(column);
  }
  const missing = expected.filter((column) => !seen.has(column));
  if (missing.length > 0) throw new RowFailure(`The header lacks the column(s) ${missing.join(', ')}.`);
  return columns;
}

/**
 * The user a row describes, as AdminCreateUser would create them without a password: in
 * RESET_REQUIRED, so their first sign-in asks for a password reset. Throws RowFailure.
 */
export function userOfRow(text: string, columns: readonly string[], settings: PoolSettings): NewUser {
  if (text.length > CSV_LIMITS.rowCharacters) throw new RowFailure(`The line is longer than ${CSV_LIMITS.rowCharacters} characters.`);
  const values = splitCsvLine(text);
  if (values.length !== columns.length) throw new RowFailure(`The line has ${values.length} values for the header's ${columns.length} columns.`);
  const row = new Map(columns.map((column, i) => [column, values[i]!]));
  const username = row.get(USERNAME_COLUMN)!;
  if (username === '') throw new RowFailure('The cognito:username value is required.');
  if (/\s/.test(username)) throw new RowFailure('The cognito:username value must not contain spaces or tabs.');
  const mfa = mfaOf(row.get(MFA_COLUMN)!, settings);
  const given = [...row].filter(([name, value]) => name !== USERNAME_COLUMN && name !== MFA_COLUMN && value !== '').map(([Name, Value]) => ({ Name, Value }));
  let attributes: Map<string, string>;
  try {
    attributes = attributesAtCreation(given, { operation: 'UserImport' }, settings);
    checkRequiredPresent(attributes, settings.SchemaAttributes ?? []);
  } catch (error) {
    if (error instanceof CognitoError) throw new RowFailure(error.message);
    throw error;
  }
  checkAutoVerified(attributes, settings);
  if (mfa && !attributes.get('phone_number')) throw new RowFailure('cognito:mfa_enabled is true, but the user has no phone_number to receive SMS codes.');
  return {
    name: username,
    attributes: Object.fromEntries(attributes),
    password: null,
    status: 'RESET_REQUIRED',
    passwordExpiresAt: null,
    ...(mfa && { settings: { mfa: { enabled: ['SMS_MFA'] } satisfies UserMfaState } }),
  };
}

/** `cognito:mfa_enabled` must be true in a pool that requires MFA and false in one without it. */
function mfaOf(value: string, settings: PoolSettings): boolean {
  const normalized = value.toLowerCase();
  if (normalized !== '' && normalized !== 'true' && normalized !== 'false') throw new RowFailure('The cognito:mfa_enabled value must be true or false.');
  const enabled = normalized === 'true';
  const configuration = settings.MfaConfiguration ?? 'OFF';
  if (configuration === 'ON' && !enabled) throw new RowFailure('The user pool requires MFA: cognito:mfa_enabled must be true.');
  if (configuration === 'OFF' && enabled) throw new RowFailure('MFA is off in this user pool: cognito:mfa_enabled must be false.');
  return enabled;
}

/** An imported user resets their password through a verified channel: one the pool auto-verifies. */
function checkAutoVerified(attributes: Map<string, string>, settings: PoolSettings): void {
  const verified = (settings.AutoVerifiedAttributes ?? []).some((channel) => attributes.get(channel) && attributes.get(`${channel}_verified`) === 'true');
  if (!verified) throw new RowFailure(NO_AUTO_VERIFIED);
}
