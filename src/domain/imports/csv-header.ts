import type { PoolSettings } from '../pools/pool-settings.js';
import { isCustom } from '../pools/schema.js';

/** The standard columns of GetCSVHeader, in Cognito's order; the pool's custom attributes follow. */
const STANDARD_COLUMNS = [
  'name',
  'given_name',
  'family_name',
  'middle_name',
  'nickname',
  'preferred_username',
  'profile',
  'picture',
  'website',
  'email',
  'email_verified',
  'gender',
  'birthdate',
  'zoneinfo',
  'locale',
  'phone_number',
  'phone_number_verified',
  'address',
  'updated_at',
  'cognito:mfa_enabled',
  'cognito:username',
] as const;

export const USERNAME_COLUMN = 'cognito:username';
export const MFA_COLUMN = 'cognito:mfa_enabled';

/** Every column an import file of this pool must have (in any order). */
export function csvHeader(settings: PoolSettings): string[] {
  return [...STANDARD_COLUMNS, ...(settings.SchemaAttributes ?? []).filter(isCustom).map((attribute) => attribute.Name!)];
}
