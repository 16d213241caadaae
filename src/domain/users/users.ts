import { randomUUID } from 'node:crypto';
import type { AdminCreateUserRequest, AttributeType, DeliveryMediumType } from '@aws-sdk/client-cognito-identity-provider';
import type { Clock } from '../../clock.js';
import { DuplicateKeyError, InvalidPageKeyError, type Page, type PoolRecord, type Storage, type UserRecord, type UserWrite } from '../../storage/types.js';
import { CognitoError, invalidParameter } from '../errors.js';
import type { MessageDelivery } from '../messages/delivery.js';
import { sendInvitation } from '../messages/invitation.js';
import { checkPassword, POLICY_PREAMBLE } from '../passwords/password-policy.js';
import type { PasswordCredentials } from '../passwords/credentials.js';
import { generateTemporaryPassword } from '../passwords/temporary-password.js';
import { DEFAULT_PASSWORD_POLICY, type PoolSettings } from '../pools/pool-settings.js';
import type { UserPools } from '../pools/user-pools.js';
import { parseUserFilter } from './list-filter.js';
import { SignInNames, searchValuesOf } from './sign-in-names.js';
import { normalizeAttributes } from './user-attributes.js';

const DAY_MS = 86_400_000;
const EMAIL_OR_PHONE = { email: /^[^@\s]+@[^@\s]+$/, phone_number: /^\+\d+$/ } as const;

export interface NewUser {
  /** The name the caller gave: a username, or with UsernameAttributes an email or phone number. */
  name: string;
  attributes: Record<string, string>;
  password: string;
  status: UserRecord['status'];
  passwordExpiresAt: number | null;
  forceAliasCreation?: boolean;
}

export const userNotFound = () => new CognitoError('UserNotFoundException', 'User does not exist.');

/** A pool together with what its settings say about naming users. */
export interface PoolContext {
  pool: PoolRecord;
  settings: PoolSettings;
  names: SignInNames;
}

/** The user lifecycle behind the admin operations: creation, lookup, attributes, passwords, states. */
export class Users {
  constructor(
    private readonly storage: Storage,
    private readonly pools: UserPools,
    private readonly credentials: PasswordCredentials,
    private readonly delivery: MessageDelivery,
    private readonly clock: Clock,
  ) {}

  async poolContext(poolId: string): Promise<PoolContext> {
    const pool = await this.pools.get(poolId);
    const settings = pool.config as PoolSettings;
    return { pool, settings, names: new SignInNames(settings) };
  }

  /** A user by username, by any alias the pool signs in with, or by sub. */
  async find(context: PoolContext, name: string): Promise<UserRecord | undefined> {
    const { pool, names } = context;
    const byName = await this.storage.users.getByUsername(pool.id, names.key(name));
    if (byName) return byName;
    for (const kind of names.aliasKindsFor(name)) {
      const byAlias = await this.storage.users.getByAlias(pool.id, { kind, key: names.key(name) });
      if (byAlias) return byAlias;
    }
    return /^[0-9a-f-]{36}$/i.test(name) ? this.storage.users.getBySub(pool.id, name.toLowerCase()) : undefined;
  }

  /** The user, or UserNotFoundException. */
  async get(poolId: string, name: string): Promise<{ context: PoolContext; user: UserRecord }> {
    const context = await this.poolContext(poolId);
    const user = await this.find(context, name);
    if (!user) throw userNotFound();
    return { context, user };
  }

  /** AdminCreateUser: a new user in FORCE_CHANGE_PASSWORD, or with RESEND a fresh invitation. */
  async adminCreate(input: AdminCreateUserRequest): Promise<UserRecord> {
    const context = await this.poolContext(input.UserPoolId!);
    if (input.MessageAction === 'RESEND') return this.resendInvitation(context, input);
    const { settings } = context;
    const policy = settings.Policies?.PasswordPolicy ?? DEFAULT_PASSWORD_POLICY;
    const temporaryPassword = input.TemporaryPassword ?? generateTemporaryPassword(policy);
    checkPassword(policy, temporaryPassword, POLICY_PREAMBLE.temporaryPassword);

    const attributes = Object.fromEntries(
      normalizeAttributes(input.UserAttributes ?? [], { schema: settings.SchemaAttributes ?? [], writer: 'admin', creating: true }),
    );
    const user = await this.insert(context, {
      name: input.Username!,
      attributes,
      password: temporaryPassword,
      status: 'FORCE_CHANGE_PASSWORD',
      passwordExpiresAt: this.clock.now() + temporaryPasswordDays(settings) * DAY_MS,
      forceAliasCreation: input.ForceAliasCreation === true,
    });
    if (input.MessageAction !== 'SUPPRESS') await this.invite(context, user, temporaryPassword, input.DesiredDeliveryMediums);
    return user;
  }

  /**
   * Creates a user under the pool's naming rules (with UsernameAttributes the name becomes the
   * email or phone attribute and the username is the sub), hashing the password off the event loop.
   */
  async insert(context: PoolContext, fields: NewUser): Promise<UserRecord> {
    const sub = randomUUID();
    const attributes = { ...fields.attributes };
    const username = this.usernameFor(context, fields.name, attributes, sub);
    const now = this.clock.now();
    const user: UserRecord = {
      poolId: context.pool.id,
      sub,
      username,
      usernameKey: context.names.key(username),
      status: fields.status,
      enabled: true,
      ...(await this.credentials.derive({ poolId: context.pool.id, username }, fields.password)),
      passwordExpiresAt: fields.passwordExpiresAt,
      attributes,
      settings: {},
      failedSignIns: 0,
      lastFailedSignIn: null,
      createdAt: now,
      updatedAt: now,
    };
    await this.save(context, user, { inserting: true, forceAliasCreation: fields.forceAliasCreation });
    return user;
  }

  /** A new password (already checked against the policy) that is the user's own from now on. */
  async setPermanentPassword(context: PoolContext, user: UserRecord, password: string, changes: Partial<UserRecord> = {}): Promise<UserRecord> {
    const updated: UserRecord = {
      ...user,
      ...changes,
      ...(await this.credentials.derive(user, password)),
      passwordExpiresAt: null,
      updatedAt: this.clock.now(),
    };
    await this.save(context, updated);
    return updated;
  }

  async adminSetPassword(poolId: string, name: string, password: string, permanent: boolean): Promise<void> {
    const { context, user } = await this.get(poolId, name);
    checkPassword(context.settings.Policies?.PasswordPolicy ?? DEFAULT_PASSWORD_POLICY, password, POLICY_PREAMBLE.newPassword);
    const now = this.clock.now();
    await this.save(context, {
      ...user,
      ...(await this.credentials.derive(user, password)),
      status: permanent ? 'CONFIRMED' : 'FORCE_CHANGE_PASSWORD',
      passwordExpiresAt: permanent ? null : now + temporaryPasswordDays(context.settings) * DAY_MS,
      updatedAt: now,
    });
  }

  async adminUpdateAttributes(poolId: string, name: string, changes: AttributeType[]): Promise<void> {
    const { context, user } = await this.get(poolId, name);
    const updates = normalizeAttributes(changes, { schema: context.settings.SchemaAttributes ?? [], writer: 'admin', creating: false });
    const attributes = { ...user.attributes };
    // An empty value deletes the attribute, as Cognito documents for attribute updates.
    for (const [name, value] of updates) {
      if (value === '') delete attributes[name];
      else attributes[name] = value;
    }
    // A changed email or phone number is no longer the verified one, unless the same call says it is.
    for (const channel of ['email', 'phone_number']) {
      if (updates.has(channel) && updates.get(channel) !== user.attributes[channel] && !updates.has(`${channel}_verified`)) {
        attributes[`${channel}_verified`] = 'false';
      }
    }
    await this.save(context, { ...user, attributes, updatedAt: this.clock.now() });
  }

  async adminDeleteAttributes(poolId: string, name: string, attributeNames: string[]): Promise<void> {
    const { context, user } = await this.get(poolId, name);
    const schema = context.settings.SchemaAttributes ?? [];
    const attributes = { ...user.attributes };
    for (const attribute of attributeNames) {
      const definition = schema.find((a) => a.Name === attribute);
      if (!definition) throw invalidParameter(`Invalid attribute name: ${attribute}`);
      if (definition.Required) throw invalidParameter(`Invalid user attributes: ${attribute}: Required attribute cannot be deleted.\n`);
      if (definition.Mutable === false) throw invalidParameter(`Invalid user attributes: ${attribute}: Attribute cannot be updated.\n`);
      delete attributes[attribute];
      if (attribute === 'email' || attribute === 'phone_number') delete attributes[`${attribute}_verified`];
    }
    await this.save(context, { ...user, attributes, updatedAt: this.clock.now() });
  }

  async setEnabled(poolId: string, name: string, enabled: boolean): Promise<void> {
    const { context, user } = await this.get(poolId, name);
    await this.save(context, { ...user, enabled, updatedAt: this.clock.now() });
    // AdminDisableUser "revokes all access tokens for the user": enabling again does not bring them back.
    if (!enabled) await this.storage.tokenFamilies.revokeAllForUser(poolId, user.sub);
  }

  /**
   * Marks a contact attribute verified once the user proved they receive it (a code sent to it at
   * sign-in). Another user holding it as a verified alias keeps it: this one stays unverified.
   */
  async markVerified(context: PoolContext, user: UserRecord, attribute: 'email' | 'phone_number'): Promise<UserRecord> {
    if (user.attributes[`${attribute}_verified`] === 'true' || !user.attributes[attribute]) return user;
    const verified: UserRecord = { ...user, attributes: { ...user.attributes, [`${attribute}_verified`]: 'true' }, updatedAt: this.clock.now() };
    try {
      await this.save(context, verified);
      return verified;
    } catch (error) {
      if (error instanceof CognitoError && error.type === 'AliasExistsException') return user;
      throw error;
    }
  }

  async adminConfirmSignUp(poolId: string, name: string): Promise<void> {
    const { context, user } = await this.get(poolId, name);
    if (user.status !== 'UNCONFIRMED') throw new CognitoError('NotAuthorizedException', `User cannot be confirmed. Current status is ${user.status}`);
    await this.save(context, { ...user, status: 'CONFIRMED', updatedAt: this.clock.now() });
  }

  async delete(poolId: string, name: string): Promise<void> {
    const { user } = await this.get(poolId, name);
    if (!(await this.storage.users.delete(poolId, user.sub))) throw userNotFound();
  }

  async list(poolId: string, limit: number, filterText: string | undefined, after?: string): Promise<Page<UserRecord>> {
    const context = await this.poolContext(poolId);
    const filter = parseUserFilter(filterText);
    if (filter?.attribute === 'username') filter.value = context.names.key(filter.value);
    try {
      return await this.storage.users.list(poolId, limit, filter, after);
    } catch (error) {
      if (error instanceof InvalidPageKeyError) throw invalidParameter('Invalid PaginationToken.');
      throw error;
    }
  }

  /**
   * Writes a user with its aliases and search values. An alias another user holds is
   * AliasExistsException, or with forceAliasCreation moves here and leaves the other user unverified.
   */
  async save(context: PoolContext, user: UserRecord, options: { inserting?: boolean; forceAliasCreation?: boolean } = {}): Promise<void> {
    const { names } = context;
    const write = (record: UserRecord): UserWrite => ({ user: record, aliases: names.aliasesOf(record.attributes), search: searchValuesOf(record, names) });
    const writes: UserWrite[] = [];
    for (const alias of names.aliasesOf(user.attributes)) {
      const holder = await this.storage.users.getByAlias(user.poolId, alias);
      if (!holder || holder.sub === user.sub) continue;
      if (names.usernameAttributes.includes(alias.kind) || !options.forceAliasCreation) throw aliasTaken(alias.kind, names);
      writes.push(write({ ...holder, attributes: { ...holder.attributes, [`${alias.kind}_verified`]: 'false' }, updatedAt: this.clock.now() }));
    }
    writes.push(write(user));
    try {
      await this.storage.users.write(writes, new Set(options.inserting ? [user.sub] : []));
    } catch (error) {
      if (!(error instanceof DuplicateKeyError)) throw error;
      if (error.key === 'username') throw new CognitoError('UsernameExistsException', 'User account already exists');
      throw aliasTaken(error.key ?? 'email', names);
    }
  }

  private async resendInvitation(context: PoolContext, input: AdminCreateUserRequest): Promise<UserRecord> {
    const user = await this.find(context, input.Username!);
    if (!user) throw userNotFound();
    if (user.status !== 'FORCE_CHANGE_PASSWORD') {
      throw new CognitoError('UnsupportedUserStateException', `Resend not possible. ${user.username} status is not FORCE_CHANGE_PASSWORD.`);
    }
    const policy = context.settings.Policies?.PasswordPolicy ?? DEFAULT_PASSWORD_POLICY;
    const temporaryPassword = input.TemporaryPassword ?? generateTemporaryPassword(policy);
    checkPassword(policy, temporaryPassword, POLICY_PREAMBLE.temporaryPassword);
    const now = this.clock.now();
    const renewed: UserRecord = {
      ...user,
      ...(await this.credentials.derive(user, temporaryPassword)),
      passwordExpiresAt: now + temporaryPasswordDays(context.settings) * DAY_MS,
      updatedAt: now,
    };
    await this.save(context, renewed);
    await this.invite(context, renewed, temporaryPassword, input.DesiredDeliveryMediums);
    return renewed;
  }

  /**
   * With UsernameAttributes the given name is an email or phone number that becomes that attribute,
   * and the username itself is the sub; otherwise the name is the username.
   */
  private usernameFor(context: PoolContext, name: string, attributes: Record<string, string>, sub: string): string {
    const { usernameAttributes } = context.names;
    if (usernameAttributes.length === 0) {
      if (/^[^@\s]+@[^@\s]+$/.test(name) && context.names.aliasAttributes.includes('email')) {
        throw invalidParameter('Username cannot be of email format, since user pool is configured for email alias.');
      }
      if (/^\+\d+$/.test(name) && context.names.aliasAttributes.includes('phone_number')) {
        throw invalidParameter('Username cannot be of phone number format, since user pool is configured for phone_number alias.');
      }
      return name;
    }
    const kind = usernameAttributes.find((candidate) => EMAIL_OR_PHONE[candidate as keyof typeof EMAIL_OR_PHONE]?.test(name));
    if (!kind) {
      throw invalidParameter(
        usernameAttributes.length > 1 ? 'Username should be either an email or a phone number.' : `Username should be an ${usernameAttributes[0] === 'email' ? 'email' : 'phone number'}.`,
      );
    }
    if (attributes[kind] !== undefined && attributes[kind] !== name) {
      throw invalidParameter(`The ${kind} attribute must match the username.`);
    }
    attributes[kind] = name;
    return sub;
  }

  private async invite(context: PoolContext, user: UserRecord, temporaryPassword: string, mediums?: DeliveryMediumType[]): Promise<void> {
    const channels = mediums?.length ? mediums : ['SMS' as const];
    await sendInvitation(this.delivery, context.settings, user, temporaryPassword, channels);
  }
}

function aliasTaken(kind: string, names: SignInNames): CognitoError {
  const type = names.usernameAttributes.includes(kind) ? 'UsernameExistsException' : 'AliasExistsException';
  return new CognitoError(type, `An account with the given ${kind} already exists.`);
}

/** A pool's temporary-password validity; 0 means Cognito's default of 7 days. */
const temporaryPasswordDays = (settings: PoolSettings): number =>
  settings.Policies?.PasswordPolicy?.TemporaryPasswordValidityDays || DEFAULT_PASSWORD_POLICY.TemporaryPasswordValidityDays;

