import { randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AttributeType, CreateUserPoolClientRequest, CreateUserPoolRequest, SchemaAttributeType, UserPoolType } from '@aws-sdk/client-cognito-identity-provider';
import { CognitoError } from '../domain/errors.js';
import { PoolFileError } from '../domain/portability/pool-lines.js';
import type { Services } from '../domain/services.js';
import { attributesAtCreation } from '../domain/users/attribute-writes.js';
import type { UserMfaState } from '../domain/mfa/user-mfa-state.js';
import { settingsForNewPool, type PoolSettings } from '../domain/pools/pool-settings.js';
import { validateInput } from '../http/model/validate.js';
import { pickDefined as pick } from '../objects.js';
import { USER_STATUSES, type Storage, type UserStatus } from '../storage/types.js';

/**
 * cognito-local's data directory (`.cognito/db`): a `<poolId>.json` per pool holding `Options`
 * (the pool as DescribeUserPool answers it), `Users` by username (their passwords in plain text)
 * and `Groups` by name (members as usernames), and one `clients.json` holding every app client.
 * Dates are ISO strings.
 */
interface LocalUser {
  Username: string;
  Password?: string;
  Attributes?: AttributeType[];
  UserStatus?: string;
  Enabled?: boolean;
  UserCreateDate?: string;
  MFAOptions?: { DeliveryMedium?: string }[];
  UserMFASettingList?: string[];
}
interface LocalGroup {
  GroupName: string;
  Description?: string;
  Precedence?: number;
  RoleArn?: string;
  members?: string[];
}
interface LocalPool {
  file: string;
  Options: UserPoolType & { Id: string };
  Users?: Record<string, LocalUser>;
  Groups?: Record<string, LocalGroup>;
}
type LocalClient = CreateUserPoolClientRequest & { ClientId: string; ClientSecret?: string };

const STATUSES: ReadonlySet<string> = new Set(USER_STATUSES);
/** The settings of DescribeUserPool that CreateUserPool takes back. */
const POOL_FIELDS = [
  'Policies', 'DeletionProtection', 'LambdaConfig', 'AutoVerifiedAttributes', 'AliasAttributes', 'UsernameAttributes', 'SmsVerificationMessage',
  'EmailVerificationMessage', 'EmailVerificationSubject', 'VerificationMessageTemplate', 'SmsAuthenticationMessage', 'MfaConfiguration',
  'UserAttributeUpdateSettings', 'DeviceConfiguration', 'EmailConfiguration', 'SmsConfiguration', 'UserPoolTags', 'AdminCreateUserConfig',
  'UsernameConfiguration', 'AccountRecoverySetting',
] as const;
const CLIENT_FIELDS = [
  'ClientName', 'RefreshTokenValidity', 'AccessTokenValidity', 'IdTokenValidity', 'TokenValidityUnits', 'ReadAttributes', 'WriteAttributes',
  'ExplicitAuthFlows', 'SupportedIdentityProviders', 'CallbackURLs', 'LogoutURLs', 'DefaultRedirectURI', 'AllowedOAuthFlows', 'AllowedOAuthScopes',
  'AllowedOAuthFlowsUserPoolClient', 'PreventUserExistenceErrors', 'EnableTokenRevocation',
] as const;

export interface ImportedLocalPool {
  poolId: string;
  users: number;
  clients: number;
  groups: number;
}

/** Reads a cognito-local data directory whole, before anything is written. */
export async function readCognitoLocal(directory: string): Promise<{ pools: LocalPool[]; clients: LocalClient[] }> {
  const files = (await readdir(directory)).filter((name) => name.endsWith('.json')).sort();
  const read = async (name: string) => {
    try {
      return JSON.parse(await readFile(join(directory, name), 'utf8')) as Record<string, unknown>;
    } catch (error) {
      throw new PoolFileError(0, `${join(directory, name)} is not cognito-local data: ${(error as Error).message}`);
    }
  };
  const clients = files.includes('clients.json') ? Object.values(((await read('clients.json')).Clients ?? {}) as Record<string, LocalClient>) : [];
  const pools: LocalPool[] = [];
  for (const name of files.filter((file) => file !== 'clients.json')) {
    const data = await read(name);
    const options = (data.Options ?? { Id: name.slice(0, -'.json'.length) }) as LocalPool['Options'];
    pools.push({ file: name, Options: { ...options, Id: options.Id ?? name.slice(0, -'.json'.length) }, Users: data.Users as LocalPool['Users'], Groups: data.Groups as LocalPool['Groups'] });
  }
  if (pools.length === 0) throw new PoolFileError(0, `${directory} holds no cognito-local pool (<poolId>.json)`);
  return { pools, clients };
}

/**
 * Imports cognito-local's pools with their ids, app clients (ids and secrets kept), groups and
 * users (subs, states and memberships kept; plain-text passwords hashed as Gatehouse hashes any).
 * Everything is checked before the first write; a pool that fails midway is removed again.
 */
export async function importCognitoLocal(data: { pools: LocalPool[]; clients: LocalClient[] }, services: Services, storage: Storage): Promise<ImportedLocalPool[]> {
  const plans = [];
  for (const pool of data.pools) plans.push(await plan(pool, data.clients, storage));
  const imported: ImportedLocalPool[] = [];
  for (const { poolId, poolInput, clients, groups, users } of plans) {
    try {
      await services.pools.create(poolInput, poolId);
      for (const { ClientId, ClientSecret, ...input } of clients) await services.clients.create(input, { clientId: ClientId, clientSecret: ClientSecret });
      for (const group of groups) await services.groups.create({ UserPoolId: poolId, GroupName: group.GroupName, Description: group.Description, Precedence: group.Precedence, RoleArn: group.RoleArn });
      const context = await services.users.poolContext(poolId);
      for (const user of users) await services.users.insert(context, user);
      for (const group of groups) for (const member of group.members ?? []) await services.groups.addUser(poolId, group.GroupName, member);
    } catch (error) {
      await storage.pools.delete(poolId);
      throw new PoolFileError(0, `pool ${poolId}: ${(error as Error).message} (nothing of it was kept)`);
    }
    imported.push({ poolId, users: users.length, clients: clients.length, groups: groups.length });
  }
  return imported;
}

/** One pool's writes, prepared and checked. */
async function plan(pool: LocalPool, allClients: LocalClient[], storage: Storage) {
  const poolId = pool.Options.Id;
  const where = (what: string) => `${pool.file}: ${what}`;
  const check = (operation: string, input: unknown, what: string) => {
    try {
      validateInput(operation, input);
    } catch (error) {
      throw new PoolFileError(0, where(`${what}: ${(error as Error).message}`));
    }
  };
  if (!/^[\w-]+_[0-9a-zA-Z]+$/.test(poolId)) throw new PoolFileError(0, where(`${poolId} is not a user pool id`));
  if (await storage.pools.get(poolId)) throw new PoolFileError(0, where(`pool ${poolId} exists here already`));
  const poolInput = poolInputOf(pool.Options);
  check('CreateUserPool', poolInput, 'the pool');

  const clients = allClients.filter((client) => client.UserPoolId === poolId).map((client) => ({ ...pick(client, CLIENT_FIELDS), UserPoolId: poolId, ClientId: client.ClientId, ClientSecret: client.ClientSecret }));
  for (const { ClientId, ClientSecret, ...input } of clients) {
    check('CreateUserPoolClient', input, `app client ${ClientId}`);
    if (ClientSecret !== undefined && !/^[\w+]{24,64}$/.test(ClientSecret)) throw new PoolFileError(0, where(`app client ${ClientId}'s secret is not one Cognito issues ([\\w+]{24,64})`));
    if (await storage.clients.findById(ClientId)) throw new PoolFileError(0, where(`app client ${ClientId} exists here already`));
  }
  const groups = Object.values(pool.Groups ?? {});
  // The settings the pool will have, so the users are checked against its schema before it exists.
  const settings = settingsForNewPool(poolInput);
  const users = Object.values(pool.Users ?? {}).map((user) => newUserOf(user, settings, where));
  const subs = new Set<string>();
  for (const user of users) {
    if (subs.has(user.kept.sub)) throw new PoolFileError(0, where(`sub ${user.kept.sub} belongs to two users`));
    subs.add(user.kept.sub);
  }
  const usernames = new Set(Object.keys(pool.Users ?? {}));
  for (const group of groups) {
    for (const member of group.members ?? []) if (!usernames.has(member)) throw new PoolFileError(0, where(`group ${group.GroupName} lists ${member}, who is not a user`));
  }
  return { poolId, poolInput, clients, groups, users };
}

function poolInputOf(options: LocalPool['Options']): CreateUserPoolRequest {
  const schema: SchemaAttributeType[] = (options.SchemaAttributes ?? [])
    .filter((attribute) => attribute.Name?.startsWith('custom:') || attribute.Required)
    .map((attribute) => ({ ...attribute, Name: attribute.Name!.replace(/^custom:/, '') }));
  return { PoolName: options.Name ?? options.Id, ...pick(options, POOL_FIELDS), ...(schema.length > 0 && { Schema: schema }) };
}

function newUserOf(user: LocalUser, settings: PoolSettings, where: (what: string) => string) {
  const attributes = new Map((user.Attributes ?? []).map(({ Name, Value }) => [Name!, Value!]));
  const sub = attributes.get('sub') ?? randomUUID();
  attributes.delete('sub');
  const status = user.UserStatus ?? 'CONFIRMED';
  if (!STATUSES.has(status)) throw new PoolFileError(0, where(`user ${user.Username} has the unknown status ${status}`));
  let checked: Map<string, string>;
  try {
    checked = attributesAtCreation([...attributes].map(([Name, Value]) => ({ Name, Value })), { operation: 'UserImport' }, settings);
  } catch (error) {
    if (!(error instanceof CognitoError)) throw error;
    throw new PoolFileError(0, where(`user ${user.Username}: ${error.message}`));
  }
  // With email or phone as username, cognito-local keeps the sub as Username; Gatehouse is given the email or phone.
  const signInName = settings.UsernameAttributes?.length ? (checked.get('email') ?? checked.get('phone_number') ?? user.Username) : user.Username;
  const sms = user.MFAOptions?.some((option) => option.DeliveryMedium === 'SMS') || user.UserMFASettingList?.includes('SMS_MFA');
  const created = user.UserCreateDate === undefined ? undefined : Date.parse(user.UserCreateDate);
  return {
    name: signInName,
    attributes: Object.fromEntries(checked),
    password: user.Password ? user.Password : null,
    status: status as UserStatus,
    passwordExpiresAt: null,
    ...(sms && { settings: { mfa: { enabled: ['SMS_MFA'] } satisfies UserMfaState } }),
    kept: { sub, enabled: user.Enabled !== false, ...(created !== undefined && Number.isFinite(created) && { createdAt: created }) },
  };
}
