import type { AliasKey, UserRecord } from '../../storage/types.js';
import { identityAliasesOf } from '../federation/linked-identities.js';
import type { PoolSettings } from '../pools/pool-settings.js';

/**
 * How a pool names its users: whether names are case-sensitive, which attributes
 * sign in in place of the username, and which of them must be unique.
 */
export class SignInNames {
  readonly caseSensitive: boolean;
  /** email and/or phone_number when they replace the username (the username is then the sub). */
  readonly usernameAttributes: readonly string[];
  /** email, phone_number and/or preferred_username that sign in besides the username. */
  readonly aliasAttributes: readonly string[];

  constructor(settings: PoolSettings) {
    this.caseSensitive = settings.UsernameConfiguration?.CaseSensitive ?? true;
    this.usernameAttributes = settings.UsernameAttributes ?? [];
    this.aliasAttributes = settings.AliasAttributes ?? [];
  }

  /** What uniqueness and lookups compare. */
  key(name: string): string {
    return this.caseSensitive ? name : name.toLowerCase();
  }

  /** The kinds of alias a sign-in name could be, most likely first. */
  aliasKindsFor(name: string): string[] {
    const kinds = [...this.usernameAttributes, ...this.aliasAttributes];
    const guess = name.includes('@') ? 'email' : name.startsWith('+') ? 'phone_number' : 'preferred_username';
    return kinds.includes(guess) ? [guess, ...kinds.filter((kind) => kind !== guess)] : kinds;
  }

  /**
   * The unique names a user holds. Username attributes are unique whether verified or not;
   * an email or phone alias only once verified (an unverified one cannot sign in); preferred_username always.
   */
  aliasesOf(attributes: Record<string, string>): AliasKey[] {
    const aliases: AliasKey[] = [];
    for (const kind of this.usernameAttributes) {
      if (attributes[kind]) aliases.push({ kind, key: this.key(attributes[kind]!) });
    }
    for (const kind of this.aliasAttributes) {
      const value = attributes[kind];
      if (!value) continue;
      const verified = kind === 'preferred_username' || attributes[`${kind}_verified`] === 'true';
      if (verified) aliases.push({ kind, key: this.key(value) });
    }
    return aliases;
  }

  /**
   * The sign-in aliases a user holds. A federated user holds none: its email may be anyone else's
   * too, as in Cognito, where linking is how a federated identity joins a native user.
   */
  signInAliasesOf(user: Pick<UserRecord, 'status' | 'attributes'>): AliasKey[] {
    return user.status === 'EXTERNAL_PROVIDER' ? [] : this.aliasesOf(user.attributes);
  }

  /** Every unique name a user holds: its sign-in aliases and the external identities that sign in as it. */
  uniqueNamesOf(user: UserRecord): AliasKey[] {
    return [...this.signInAliasesOf(user), ...identityAliasesOf(user)];
  }
}

/** The attributes ListUsers can filter on, and the value each filter compares. */
export const FILTERABLE_ATTRIBUTES = [
  'username',
  'email',
  'phone_number',
  'name',
  'given_name',
  'family_name',
  'preferred_username',
  'cognito:user_status',
  'status',
  'sub',
] as const;

export function searchValuesOf(user: UserRecord, names: SignInNames): Record<string, string> {
  const values: Record<string, string> = {
    username: names.caseSensitive ? user.username : user.usernameKey,
    'cognito:user_status': user.status,
    status: user.enabled ? 'Enabled' : 'Disabled',
    sub: user.sub,
  };
  for (const name of ['email', 'phone_number', 'name', 'given_name', 'family_name', 'preferred_username']) {
    const value = user.attributes[name];
    if (value !== undefined) values[name] = value;
  }
  return values;
}
