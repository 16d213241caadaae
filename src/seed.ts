import type { AdminCreateUserRequest } from '@aws-sdk/client-cognito-identity-provider';
import type { SeedClient, SeedGroup, SeedPool, SeedUser } from './config.js';
import type { Services } from './domain/services.js';
import { validateInput } from './http/model/validate.js';
import type { Pool } from './domain/pools/user-pools.js';
import { NO_CALLER } from './domain/triggers/caller.js';

export class SeedError extends Error {}

/**
 * Brings the database in line with the config file: declared pools, clients and groups are created
 * when missing and updated to the declared settings when present, so a start is idempotent.
 * A pool is found by its Id when one is declared, otherwise by its name.
 */
export async function applySeed(services: Services, pools: SeedPool[]): Promise<void> {
  for (const [index, declared] of pools.entries()) {
    const where = `userPools[${index}] (${declared.PoolName ?? 'unnamed'})`;
    // A replicated pool this node's region does not serve is left to the nodes that do: here it does not exist, yet its id is taken.
    if (declared.Id !== undefined && !(await services.pools.serves(declared.Id))) continue;
    try {
      const pool = await convergePool(services, declared);
      for (const client of declared.Clients ?? []) await convergeClient(services, pool, client);
      for (const group of declared.Groups ?? []) await convergeGroup(services, pool, group);
      for (const user of declared.Users ?? []) await ensureUser(services, pool, user);
    } catch (error) {
      throw new SeedError(`${where}: ${(error as Error).message}`);
    }
  }
}

async function convergePool(services: Services, declared: SeedPool): Promise<Pool> {
  const { Id, Clients: _clients, Groups: _groups, Users: _users, ...input } = declared;
  validateInput('CreateUserPool', input);
  if (Id !== undefined && !/^[a-z]{2}(-gov)?-[a-z]+-\d_[0-9a-zA-Z]+$/.test(Id)) {
    throw new Error(`Id '${Id}' must look like <region>_<alphanumerics>, e.g. us-east-1_AbC123xyZ`);
  }
  const existing = Id !== undefined ? await services.pools.get(Id).catch(() => undefined) : await findPoolByName(services, input.PoolName!);
  if (!existing) return services.pools.create(input, Id);
  const { Schema: _schema, UsernameAttributes: _u, AliasAttributes: _a, UsernameConfiguration: _c, ...updatable } = input;
  return services.pools.update({ ...updatable, UserPoolId: existing.id });
}

async function findPoolByName(services: Services, name: string): Promise<Pool | undefined> {
  const matches = await services.pools.findByName(name);
  if (matches.length > 1) throw new Error(`several pools are named '${name}'; give the pool an Id`);
  return matches[0];
}

async function convergeClient(services: Services, pool: Pool, declared: SeedClient): Promise<void> {
  const { ClientId, ClientSecret, ...rest } = declared;
  const input = { ...rest, UserPoolId: pool.id };
  validateInput('CreateUserPoolClient', input);
  if (ClientId !== undefined && !/^[\w+]{1,128}$/.test(ClientId)) throw new Error(`ClientId '${ClientId}' must match [\\w+]{1,128}`);
  if (ClientSecret !== undefined && !/^[\w+]{24,64}$/.test(ClientSecret)) throw new Error('ClientSecret must match [\\w+]{24,64}');
  const existing = ClientId !== undefined
    ? await services.clients.get(pool.id, ClientId).catch(() => undefined)
    : await services.clients.findByName(pool.id, input.ClientName!);
  if (!existing) {
    await services.clients.create(input, { clientId: ClientId, clientSecret: ClientSecret });
    return;
  }
  const { GenerateSecret: _generate, ...updatable } = input;
  await services.clients.update({ ...updatable, ClientId: existing.clientId }, ClientSecret);
}

/** Groups converge like clients: created when missing, otherwise updated to the declared settings. */
async function convergeGroup(services: Services, pool: Pool, declared: SeedGroup): Promise<void> {
  const input = { ...declared, UserPoolId: pool.id };
  validateInput('CreateGroup', input);
  const existing = await services.groups.get(pool.id, input.GroupName!).catch(() => undefined);
  if (existing) await services.groups.update(input);
  else await services.groups.create(input);
}

/**
 * Users are created once; a later start leaves an existing user (and any password it changed) alone.
 * Declared memberships are ensured on every start; memberships added through the API stay.
 */
async function ensureUser(services: Services, pool: Pool, declared: SeedUser): Promise<void> {
  const { Password, Groups, ...rest } = declared;
  const input = { ...rest, UserPoolId: pool.id, MessageAction: 'SUPPRESS' as const };
  validateInput('AdminCreateUser', input);
  const context = await services.users.poolContext(pool.id);
  const existing = await services.users.find(context, input.Username!);
  const username = existing?.username ?? (await createUser(services, input, Password));
  for (const group of Groups ?? []) await services.groups.addUser(pool.id, group, username);
}

async function createUser(services: Services, input: AdminCreateUserRequest, password: string | undefined): Promise<string> {
  const user = await services.users.adminCreate(input, NO_CALLER);
  if (password !== undefined) await services.users.adminSetPassword(input.UserPoolId!, user.username, password, true);
  return user.username;
}
