import type { AttributeType } from '@aws-sdk/client-cognito-identity-provider';
import type { UserRecord } from '../../storage/types.js';
import type { CodeChannel } from '../codes/verification-codes.js';
import { invalidParameter, notAuthorized } from '../errors.js';
import type { PoolSettings } from '../pools/pool-settings.js';
import { missingRequiredAttributes, normalizeAttributes, type AttributeWriter } from './user-attributes.js';

/**
 * Who may write which user attributes, through which operation: the one rule every write of
 * attributes goes through.
 *
 *  - Nobody writes `sub`. Users (every path through an app client) never write the verified flags
 *    or developer-only attributes, nor what the client's WriteAttributes leaves out.
 *  - Immutable attributes are given a value when the user is created and never change after.
 *  - Answering NEW_PASSWORD_REQUIRED fills in what the user lacks; an email or phone number the
 *    user already has cannot be replaced there ("Cannot modify an already provided email").
 *  - A new email or phone number is unverified (an administrator may say otherwise in the same
 *    call), or, where the pool requires verification before update, waits beside the verified
 *    old value until the code sent to it is confirmed.
 *  - Uniqueness of the names users sign in with is checked where the user is written (Users).
 */
export type AttributeDoor =
  | { operation: 'SignUp'; writableByClient?: string[] }
  | { operation: 'AdminCreateUser' }
  /** A migration function's answer: written as an administrator would. */
  | { operation: 'UserMigration' }
  /** A row of a user import job's file: written as an administrator would. */
  | { operation: 'UserImport' }
  | { operation: 'UpdateUserAttributes'; writableByClient?: string[] }
  | { operation: 'AdminUpdateUserAttributes' }
  | { operation: 'NewPasswordRequired'; writableByClient?: string[] };

/** What an update makes of a user's attributes. */
export interface AttributeUpdate {
  attributes: Record<string, string>;
  /** Values waiting for verification before they replace the current ones. */
  pending: Record<string, string>;
  /** Where a verification code must now go: the new value (or the one waiting) of each channel. */
  toVerify: CodeChannel[];
}

const CHANNELS: readonly CodeChannel[] = ['email', 'phone_number'];
const verifiedFlag = (channel: CodeChannel) => `${channel}_verified` as const;

const writerOf = (door: AttributeDoor): AttributeWriter => (door.operation.startsWith('Admin') || door.operation === 'UserMigration' || door.operation === 'UserImport' ? 'admin' : 'user');
const clientLimitOf = (door: AttributeDoor): string[] | undefined => ('writableByClient' in door ? door.writableByClient : undefined);

/** Values waiting for verification, as kept in a user's settings. */
export const pendingAttributesOf = (user: Pick<UserRecord, 'settings'>): Record<string, string> =>
  (user.settings.pendingAttributes as Record<string, string> | undefined) ?? {};

/** The user with these attributes, and these values waiting for verification. */
export const withAttributes = (user: UserRecord, { attributes, pending }: Pick<AttributeUpdate, 'attributes' | 'pending'>): UserRecord => ({
  ...user,
  attributes,
  settings: { ...user.settings, pendingAttributes: pending },
});

/** The attributes of a new user (SignUp, AdminCreateUser), checked against the schema and the door. */
export function attributesAtCreation(given: AttributeType[], door: AttributeDoor & { operation: 'SignUp' | 'AdminCreateUser' | 'UserMigration' | 'UserImport' }, settings: PoolSettings): Map<string, string> {
  return normalizeAttributes(given, { schema: settings.SchemaAttributes ?? [], writer: writerOf(door), creating: true, writableByClient: clientLimitOf(door) });
}

/** What `given` does to an existing user's attributes through `door`; throws Cognito's answer when it may not. */
export function planAttributeUpdate(user: Pick<UserRecord, 'attributes' | 'settings'>, given: AttributeType[], door: AttributeDoor, settings: PoolSettings): AttributeUpdate {
  const schema = settings.SchemaAttributes ?? [];
  const completing = door.operation === 'NewPasswordRequired';
  const updates = normalizeAttributes(given, { schema, writer: writerOf(door), creating: completing, writableByClient: clientLimitOf(door) });
  if (completing) checkCompletion(user.attributes, updates, settings);

  const attributes = { ...user.attributes };
  const pending = { ...pendingAttributesOf(user) };
  const toVerify: CodeChannel[] = [];
  const holdBack: readonly string[] = settings.UserAttributeUpdateSettings?.AttributesRequireVerificationBeforeUpdate ?? [];
  const autoVerified: readonly string[] = settings.AutoVerifiedAttributes ?? [];
  for (const [name, value] of updates) {
    const channel = CHANNELS.find((c) => c === name);
    if (value === '') {
      delete attributes[name];
      if (channel) {
        delete attributes[verifiedFlag(channel)];
        delete pending[channel];
      }
    } else if (channel && value !== user.attributes[channel]) {
      const declared = updates.get(verifiedFlag(channel));
      if (declared !== 'true' && holdBack.includes(channel) && user.attributes[verifiedFlag(channel)] === 'true') {
        pending[channel] = value;
        toVerify.push(channel);
        continue;
      }
      attributes[channel] = value;
      delete pending[channel];
      if (declared === undefined) attributes[verifiedFlag(channel)] = 'false';
      if (declared !== 'true' && autoVerified.includes(channel) && !completing) toVerify.push(channel);
    } else {
      attributes[name] = value;
      // Set back to the value it has: nothing is waiting any more.
      if (channel) delete pending[channel];
    }
  }
  return { attributes, pending, toVerify };
}

/**
 * NEW_PASSWORD_REQUIRED fills in a user's missing attributes: what the user already has keeps its
 * value, and every required attribute must have one afterwards.
 */
function checkCompletion(current: Record<string, string>, updates: Map<string, string>, settings: PoolSettings): void {
  const schema = settings.SchemaAttributes ?? [];
  for (const [name, value] of updates) {
    if (CHANNELS.includes(name as CodeChannel) && current[name]) throw notAuthorized(`Cannot modify an already provided ${name}`);
    const immutable = schema.find((attribute) => attribute.Name === name)?.Mutable === false;
    if (immutable && current[name] !== undefined && current[name] !== value) throw invalidParameter(`Invalid user attributes: user.${name}: Attribute cannot be updated.\n`);
  }
  const after = new Map(Object.entries(current));
  for (const [name, value] of updates) if (value !== '') after.set(name, value);
  const missing = missingRequiredAttributes(after, schema);
  if (missing.length > 0) throw invalidParameter(`Invalid attributes given, ${missing[0]} is missing`);
}
