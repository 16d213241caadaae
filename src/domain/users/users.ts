import { randomUUID } from 'node:crypto';
import type { AdminCreateUserRequest, AttributeType, CodeDeliveryDetailsType, DeliveryMediumType } from '@aws-sdk/client-cognito-identity-provider';
import type { Clock } from '../../clock.js';
import { DuplicateKeyError, InvalidPageKeyError, type Page, type Storage, type UserRecord, type UserWrite } from '../../storage/types.js';
import type { VerificationCodes } from '../codes/verification-codes.js';
import { CognitoError, invalidParameter } from '../errors.js';
import { sendInvitation } from '../messages/invitation.js';
import type { MessagePurpose, Messenger } from '../messages/messenger.js';
import { untilWritten, updateVersioned } from '../optimistic.js';
import { checkPassword, POLICY_PREAMBLE } from '../passwords/password-policy.js';
import type { PasswordCredentials } from '../passwords/credentials.js';
import { generateTemporaryPassword } from '../passwords/temporary-password.js';
import { temporaryPasswordDays, type PoolSettings } from '../pools/pool-settings.js';
import type { Pool, UserPools } from '../pools/user-pools.js';
import { attributesAtCreation, planAttributeUpdate, withAttributes, type AttributeDoor } from './attribute-writes.js';
import { parseUserFilter } from './list-filter.js';
import { validationDataOf } from '../triggers/user-triggers.js';
import { SignInNames, searchValuesOf } from './sign-in-names.js';
import { IDENTITY_ALIAS_KIND, identityTaken } from '../federation/linked-identities.js';
import type { Caller } from '../triggers/caller.js';
import type { UserMfaState } from '../mfa/user-mfa-state.js';
import type { UserTriggers } from '../triggers/user-triggers.js';

const DAY_MS = 86_400_000;
const EMAIL_OR_PHONE = { email: /^[^@\s]+@[^@\s]+$/, phone_number: /^\+\d+$/ } as const;

export interface NewUser {
  /** The name the caller gave: a username, or with UsernameAttributes an email or phone number. */
  name: string;
  attributes: Record<string, string>;
  /** Null for a passwordless user (one who signs in with codes or passkeys only). */
  password: string | null;
  status: UserRecord['status'];
  passwordExpiresAt: number | null;
  forceAliasCreation?: boolean;
  /** The user's settings document (MFA state, …) from the start; empty by default. */
  settings?: Record<string, unknown>;
  /** How the operation words a taken username: SignUp says "User already exists", AdminCreateUser "User account already exists". */
  takenMessage?: string;
  /** What an import keeps of the system it comes from: the user's sub (apps key their data by it), state and age. */
  kept?: { sub?: string; enabled?: boolean; createdAt?: number };
}

/**
 * What a change makes of the user as stored now: the user to write, or undefined to write nothing.
 * It may run more than once (when another request wrote the user first), so it must only compute.
 */
export type UserChange = (current: UserRecord) => UserRecord | undefined;

/** AdminCreateUser's words for a username someone has (SignUp has its own: NewUser.takenMessage). */
const USERNAME_TAKEN = 'User account already exists';

export const userNotFound = () => new CognitoError('UserNotFoundException', 'User does not exist.');
const throwUserNotFound = (): never => {
  throw userNotFound();
};

/** A pool together with what its settings say about naming users. */
export interface PoolContext {
  pool: Pool;
  settings: PoolSettings;
  names: SignInNames;
}

interface WriteOptions {
  inserting?: boolean;
  forceAliasCreation?: boolean;
  takenMessage?: string;
}

/** The user lifecycle behind the admin operations: creation, lookup, attributes, passwords, states. */
export class Users {
  constructor(
    private readonly storage: Storage,
    private readonly pools: UserPools,
    private readonly credentials: PasswordCredentials,
    private readonly codes: VerificationCodes,
    private readonly messenger: Messenger,
    private readonly triggers: UserTriggers,
    private readonly clock: Clock,
  ) {}

  async poolContext(poolId: string): Promise<PoolContext> {
    const pool = await this.pools.get(poolId);
    return { pool, settings: pool.settings, names: new SignInNames(pool.settings) };
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
  async adminCreate(input: AdminCreateUserRequest, caller: Caller): Promise<UserRecord> {
    const context = await this.poolContext(input.UserPoolId!);
    if (input.MessageAction === 'RESEND') return this.resendInvitation(context, input, caller);
    const { settings } = context;
    const temporaryPassword = this.temporaryPassword(settings, input.TemporaryPassword);
    const attributes = Object.fromEntries(attributesAtCreation(input.UserAttributes ?? [], { operation: 'AdminCreateUser' }, settings));
    // Its answer's flags do not apply here (the user is created confirmed by the administrator); it can only refuse.
    await this.triggers.preSignUp(context.pool, 'AdminCreateUser', { username: input.Username!, attributes }, caller, input.ValidationData ? validationDataOf(input.ValidationData) : null);
    const user = await this.insert(context, {
      name: input.Username!,
      attributes,
      password: temporaryPassword,
      status: 'FORCE_CHANGE_PASSWORD',
      passwordExpiresAt: this.clock.now() + temporaryPasswordDays(settings) * DAY_MS,
      forceAliasCreation: input.ForceAliasCreation === true,
    });
    if (input.MessageAction !== 'SUPPRESS') await this.invite(context, user, temporaryPassword, input.DesiredDeliveryMediums, caller);
    return user;
  }

  /**
   * A user the pool's migration function vouches for, created as it describes (with the password
   * given at sign-in, else a random one that only a reset replaces), and welcomed if it asks.
   */
  async migrate(context: PoolContext, name: string, password: string | undefined, source: 'Authentication' | 'ForgotPassword', caller: Caller): Promise<UserRecord | undefined> {
    const answer = await this.triggers.migrate(context.pool, source, name, password, caller);
    if (!answer) return undefined;
    // The sub and the status are Gatehouse's to give, whatever the old system called them.
    const given = Object.entries(answer.userAttributes).filter(([Name]) => Name !== 'sub' && !Name.startsWith('cognito:') && Name !== 'username');
    const attributes = Object.fromEntries(attributesAtCreation(given.map(([Name, Value]) => ({ Name, Value })), { operation: 'UserMigration' }, context.settings));
    const status = answer.finalUserStatus ?? (source === 'Authentication' ? 'CONFIRMED' : 'RESET_REQUIRED');
    try {
      return await this.insert(context, {
        name: context.names.usernameAttributes.length > 0 ? (attributes.email ?? attributes.phone_number ?? name) : name,
        attributes,
        password: password ?? generateTemporaryPassword(context.settings.Policies.PasswordPolicy),
        status,
        passwordExpiresAt: null,
        forceAliasCreation: answer.forceAliasCreation === true,
        ...(answer.enableSMSMFA === true && { settings: { mfa: { enabled: ['SMS_MFA'] } satisfies UserMfaState } }),
      });
    } catch (error) {
      // Another request migrated the same user first: this one goes on with the user it made.
      if (error instanceof CognitoError && error.type === 'UsernameExistsException') return this.find(context, name);
      throw error;
    }
  }

  /**
   * Creates a user under the pool's naming rules (with UsernameAttributes the name becomes the
   * email or phone attribute and the username is the sub), hashing the password off the event loop.
   */
  async insert(context: PoolContext, fields: NewUser): Promise<UserRecord> {
    const sub = fields.kept?.sub ?? randomUUID();
    const attributes = { ...fields.attributes };
    const username = this.usernameFor(context, fields.name, attributes, sub);
    const now = this.clock.now();
    const user: UserRecord = {
      poolId: context.pool.id,
      sub,
      username,
      usernameKey: context.names.key(username),
      status: fields.status,
      enabled: fields.kept?.enabled ?? true,
      ...(fields.password === null ? { passwordHash: null, srpVerifier: null } : await this.credentials.derive({ poolId: context.pool.id, username }, fields.password)),
      passwordExpiresAt: fields.passwordExpiresAt,
      attributes,
      settings: fields.settings ?? {},
      createdAt: fields.kept?.createdAt ?? now,
      updatedAt: now,
      version: 0,
    };
    const options = { inserting: true, forceAliasCreation: fields.forceAliasCreation, takenMessage: fields.takenMessage };
    await untilWritten(() => this.write(context, user, options));
    return user;
  }

  /**
   * After a sign-in proved the password: a hash another system made (an import) or older argon2
   * settings made is replaced by a fresh one, and a user without an SRP verifier gets one. Left
   * alone if the password changed meanwhile.
   */
  async refreshCredentials(context: PoolContext, user: UserRecord, password: string): Promise<UserRecord> {
    if (!this.credentials.needsRefresh(user)) return user;
    const fresh = await this.credentials.derive(user, password);
    return this.update(context, user, (current) => (current.passwordHash === user.passwordHash ? { ...current, ...fresh } : undefined));
  }

  /** Stores a user made elsewhere (a federated user, whose name and state its provider decides). */
  async insertRecord(context: PoolContext, user: UserRecord): Promise<void> {
    await untilWritten(() => this.write(context, user, { inserting: true }));
  }

  /**
   * Changes a user. `change` sees the user as stored now; when another request wrote the user
   * between the read and this write, the write is refused and `change` runs again on what that
   * request wrote, so no acknowledged change is lost. The user as written is returned.
   */
  async update(context: PoolContext, user: UserRecord, change: UserChange, options: Omit<WriteOptions, 'inserting'> = {}): Promise<UserRecord> {
    const { poolId, sub } = user;
    return updateVersioned(
      async (round) => (round === 0 ? user : ((await this.storage.users.getBySub(poolId, sub)) ?? throwUserNotFound())),
      (current) => {
        const next = change(current);
        return next && { ...next, poolId, sub, updatedAt: this.clock.now() };
      },
      (next) => this.write(context, next, options),
    );
  }

  /** A new password (already checked against the policy) that is the user's own from now on; `also` adds what else changes with it. */
  async setPermanentPassword(context: PoolContext, user: UserRecord, password: string, also: (current: UserRecord) => Partial<UserRecord> = () => ({})): Promise<UserRecord> {
    const credentials = await this.credentials.derive(user, password);
    return this.update(context, user, (current) => ({ ...current, ...also(current), ...credentials, passwordExpiresAt: null }));
  }

  async adminSetPassword(poolId: string, name: string, password: string, permanent: boolean): Promise<void> {
    const { context, user } = await this.get(poolId, name);
    checkPassword(context.settings.Policies.PasswordPolicy, password, POLICY_PREAMBLE.newPassword);
    const credentials = await this.credentials.derive(user, password);
    const expiresAt = permanent ? null : this.clock.now() + temporaryPasswordDays(context.settings) * DAY_MS;
    await this.update(context, user, (current) => ({ ...current, ...credentials, status: permanent ? 'CONFIRMED' : 'FORCE_CHANGE_PASSWORD', passwordExpiresAt: expiresAt }));
  }

  /**
   * AdminUpdateUserAttributes. A new email or phone number is unverified unless the call says it is
   * verified, and a code goes to it where the pool verifies that attribute.
   */
  async adminUpdateAttributes(poolId: string, name: string, changes: AttributeType[], caller: Caller): Promise<void> {
    const { context, user } = await this.get(poolId, name);
    await this.updateAttributes(context, user, changes, { operation: 'AdminUpdateUserAttributes' }, 'UpdateUserAttribute', caller);
  }

  /** An attribute update through any door, then the verification codes it calls for: where they went. */
  async updateAttributes(
    context: PoolContext,
    user: UserRecord,
    changes: AttributeType[],
    door: AttributeDoor,
    why: MessagePurpose,
    caller: Caller,
  ): Promise<CodeDeliveryDetailsType[]> {
    // Checked once up front, so a refused update costs no write.
    let toVerify = planAttributeUpdate(user, changes, door, context.settings).toVerify;
    const updated = await this.update(context, user, (current) => {
      const update = planAttributeUpdate(current, changes, door, context.settings);
      toVerify = update.toVerify;
      return withAttributes(current, update);
    });
    const deliveries: CodeDeliveryDetailsType[] = [];
    for (const channel of toVerify) deliveries.push(await this.codes.sendAttributeVerification(context.settings, updated, channel, why, caller));
    return deliveries;
  }

  async adminDeleteAttributes(poolId: string, name: string, attributeNames: string[]): Promise<void> {
    const { context, user } = await this.get(poolId, name);
    await this.deleteAttributes(context, user, attributeNames);
  }

  /** AdminDeleteUserAttributes and DeleteUserAttributes: required and immutable attributes stay. */
  async deleteAttributes(context: PoolContext, user: UserRecord, attributeNames: string[]): Promise<void> {
    const schema = context.settings.SchemaAttributes ?? [];
    for (const attribute of attributeNames) {
      const definition = schema.find((a) => a.Name === attribute);
      if (!definition) throw invalidParameter(`Invalid attribute name: ${attribute}`);
      if (definition.Required) throw invalidParameter(`Invalid user attributes: user.${attribute}: Required attribute cannot be deleted.\n`);
      if (definition.Mutable === false) throw invalidParameter(`Invalid user attributes: user.${attribute}: Attribute cannot be updated.\n`);
    }
    await this.update(context, user, (current) => {
      const attributes = { ...current.attributes };
      for (const attribute of attributeNames) {
        delete attributes[attribute];
        if (attribute === 'email' || attribute === 'phone_number') delete attributes[`${attribute}_verified`];
      }
      return { ...current, attributes };
    });
  }

  async setEnabled(poolId: string, name: string, enabled: boolean): Promise<void> {
    const { context, user } = await this.get(poolId, name);
    await this.update(context, user, (current) => ({ ...current, enabled }));
    // AdminDisableUser "revokes all access tokens for the user": enabling again does not bring them back.
    if (!enabled) await this.storage.tokenFamilies.revokeAllForUser(poolId, user.sub);
  }

  /**
   * Marks a contact attribute verified once the user proved they receive it (a code sent to it at
   * sign-in). Another user holding it as a verified alias keeps it: this one stays unverified.
   */
  async markVerified(context: PoolContext, user: UserRecord, attribute: 'email' | 'phone_number'): Promise<UserRecord> {
    const flag = `${attribute}_verified`;
    try {
      return await this.update(context, user, (current) =>
        current.attributes[flag] === 'true' || !current.attributes[attribute] ? undefined : { ...current, attributes: { ...current.attributes, [flag]: 'true' } },
      );
    } catch (error) {
      if (error instanceof CognitoError && error.type === 'AliasExistsException') return user;
      throw error;
    }
  }

  async adminConfirmSignUp(poolId: string, name: string, caller: Caller): Promise<void> {
    const { context, user } = await this.get(poolId, name);
    const confirmed = await this.update(context, user, (current) => {
      if (current.status !== 'UNCONFIRMED') throw new CognitoError('NotAuthorizedException', `User cannot be confirmed. Current status is ${current.status}`);
      return { ...current, status: 'CONFIRMED' };
    });
    await this.triggers.postConfirmation(context.pool, 'ConfirmSignUp', confirmed, caller);
  }

  async delete(poolId: string, name: string): Promise<void> {
    const { user } = await this.get(poolId, name);
    if (!(await this.storage.users.delete(poolId, user.sub))) throw userNotFound();
  }

  /** ListUsers: a page of users, by one filter if given; AttributesToGet may name only the pool's attributes. */
  async list(poolId: string, limit: number, filterText: string | undefined, after?: string, attributesToGet?: string[]): Promise<Page<UserRecord>> {
    const context = await this.poolContext(poolId);
    const known = new Set(['sub', ...(context.settings.SchemaAttributes ?? []).map((attribute) => attribute.Name)]);
    if (attributesToGet?.some((name) => !known.has(name))) throw invalidParameter('One or more requested attributes do not exist.');
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
   * Writes a user with its aliases and search values; false when the user (or an alias holder it
   * takes from) was written since it was read. An alias another user holds is AliasExistsException
   * (UsernameExistsException for a new user's sign-in email or phone), or with forceAliasCreation
   * moves here and leaves the other user unverified.
   */
  private async write(context: PoolContext, user: UserRecord, { inserting = false, forceAliasCreation = false, takenMessage = USERNAME_TAKEN }: WriteOptions): Promise<boolean> {
    const { names } = context;
    const toWrite = (record: UserRecord): UserWrite => ({ user: record, aliases: names.uniqueNamesOf(record), search: searchValuesOf(record, names) });
    const writes: UserWrite[] = [];
    for (const alias of names.signInAliasesOf(user)) {
      const holder = await this.storage.users.getByAlias(user.poolId, alias);
      if (!holder || holder.sub === user.sub) continue;
      if (names.usernameAttributes.includes(alias.kind) || !forceAliasCreation) throw aliasTaken(alias.kind, names, inserting);
      writes.push(toWrite({ ...holder, attributes: { ...holder.attributes, [`${alias.kind}_verified`]: 'false' }, updatedAt: this.clock.now() }));
    }
    writes.push(toWrite(user));
    try {
      return await this.storage.users.write(writes, new Set(inserting ? [user.sub] : []));
    } catch (error) {
      if (!(error instanceof DuplicateKeyError)) throw error;
      if (error.key === 'username') throw new CognitoError('UsernameExistsException', takenMessage);
      if (error.key === IDENTITY_ALIAS_KIND) throw identityTaken();
      // Taken since it was looked at: with forceAliasCreation, look again and take it from its new holder.
      if (forceAliasCreation && !names.usernameAttributes.includes(error.key ?? '')) return false;
      throw aliasTaken(error.key ?? 'email', names, inserting);
    }
  }

  private async resendInvitation(context: PoolContext, input: AdminCreateUserRequest, caller: Caller): Promise<UserRecord> {
    const user = await this.find(context, input.Username!);
    if (!user) throw userNotFound();
    const temporaryPassword = this.temporaryPassword(context.settings, input.TemporaryPassword);
    const credentials = await this.credentials.derive(user, temporaryPassword);
    const renewed = await this.update(context, user, (current) => {
      if (current.status !== 'FORCE_CHANGE_PASSWORD') {
        throw new CognitoError('UnsupportedUserStateException', `Resend not possible. ${current.username} status is not FORCE_CHANGE_PASSWORD.`);
      }
      return { ...current, ...credentials, passwordExpiresAt: this.clock.now() + temporaryPasswordDays(context.settings) * DAY_MS };
    });
    await this.invite(context, renewed, temporaryPassword, input.DesiredDeliveryMediums, caller);
    return renewed;
  }

  private temporaryPassword(settings: PoolSettings, given: string | undefined): string {
    const policy = settings.Policies.PasswordPolicy;
    const password = given ?? generateTemporaryPassword(policy);
    checkPassword(policy, password, POLICY_PREAMBLE.temporaryPassword);
    return password;
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

  private async invite(context: PoolContext, user: UserRecord, temporaryPassword: string, mediums: DeliveryMediumType[] | undefined, caller: Caller): Promise<void> {
    const channels = mediums?.length ? mediums : ['SMS' as const];
    await sendInvitation(this.messenger, context.pool, user, temporaryPassword, channels, caller);
  }
}

/**
 * A sign-in name someone else holds. A new user whose sign-in email or phone number is taken in a
 * pool that signs in with it finds the "username" taken; any other clash is an alias clash.
 */
function aliasTaken(kind: string, names: SignInNames, inserting: boolean): CognitoError {
  const type = inserting && names.usernameAttributes.includes(kind) ? 'UsernameExistsException' : 'AliasExistsException';
  return new CognitoError(type, `An account with the given ${kind} already exists.`);
}
