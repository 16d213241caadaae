import type {
  CreateUserPoolClientRequest,
  UpdateUserPoolClientRequest,
  UserPoolClientType,
} from '@aws-sdk/client-cognito-identity-provider';
import { toEpochSeconds, type Clock } from '../../clock.js';
import { DuplicateKeyError, type ClientRecord, type Page, type Storage } from '../../storage/types.js';
import { CognitoError, resourceNotFound } from '../errors.js';
import { newClientId, newClientSecret } from '../ids.js';
import type { PoolSettings } from '../pools/pool-settings.js';
import type { UserPools } from '../pools/user-pools.js';
import type { Wire } from '../wire.js';
import { clientSettings } from './client-settings.js';

/** Ids and secret a seed file may fix instead of having them drawn. */
export interface FixedClientCredentials {
  clientId?: string;
  clientSecret?: string;
}

export class AppClients {
  constructor(
    private readonly storage: Storage,
    private readonly pools: UserPools,
    private readonly clock: Clock,
  ) {}

  async create(input: CreateUserPoolClientRequest, fixed: FixedClientCredentials = {}): Promise<ClientRecord> {
    const pool = await this.pools.get(input.UserPoolId!);
    const secret = fixed.clientSecret ?? (input.GenerateSecret ? newClientSecret() : null);
    const schema = (pool.config as PoolSettings).SchemaAttributes ?? [];
    const settings = clientSettings(input, schema, { action: 'creating', hasSecret: secret !== null });
    const now = this.clock.now();
    const client: ClientRecord = {
      clientId: fixed.clientId ?? newClientId(),
      poolId: pool.id,
      name: input.ClientName!,
      secret,
      config: settings,
      createdAt: now,
      updatedAt: now,
    };
    try {
      await this.storage.clients.insert(client);
    } catch (error) {
      if (error instanceof DuplicateKeyError) {
        throw new CognitoError('InvalidParameterException', `Client id ${client.clientId} is already in use.`);
      }
      throw error;
    }
    return client;
  }

  /** The client, or the ResourceNotFoundException Cognito answers for an unknown one. */
  async get(poolId: string, clientId: string): Promise<ClientRecord> {
    const client = await this.storage.clients.get(poolId, clientId);
    if (client) return client;
    await this.pools.get(poolId);
    throw resourceNotFound(`User pool client ${clientId} does not exist.`);
  }

  /**
   * The client a public or Admin* auth call names. Client ids are unique across pools; an Admin*
   * call also names the pool, which must exist and own the client.
   */
  async forCall(clientId: string, poolId?: string): Promise<ClientRecord> {
    const client = await this.storage.clients.findById(clientId);
    if (client && (poolId === undefined || client.poolId === poolId)) return client;
    if (poolId !== undefined) await this.pools.get(poolId);
    throw resourceNotFound(`User pool client ${clientId} does not exist.`);
  }

  findByName(poolId: string, name: string): Promise<ClientRecord | undefined> {
    return this.storage.clients.findByName(poolId, name);
  }

  /** UpdateUserPoolClient; a seed file may also pin the secret. */
  async update(input: UpdateUserPoolClientRequest, fixedSecret?: string): Promise<ClientRecord> {
    const pool = await this.pools.get(input.UserPoolId!);
    const current = await this.get(pool.id, input.ClientId!);
    const secret = fixedSecret ?? current.secret;
    const schema = (pool.config as PoolSettings).SchemaAttributes ?? [];
    const updated: ClientRecord = {
      ...current,
      name: input.ClientName ?? current.name,
      secret,
      config: clientSettings(input, schema, { action: 'updating', hasSecret: secret !== null }),
      updatedAt: this.clock.now(),
    };
    if (!(await this.storage.clients.update(updated))) throw resourceNotFound(`User pool client ${current.clientId} does not exist.`);
    return updated;
  }

  async delete(poolId: string, clientId: string): Promise<void> {
    await this.get(poolId, clientId);
    if (!(await this.storage.clients.delete(poolId, clientId))) throw resourceNotFound(`User pool client ${clientId} does not exist.`);
  }

  async list(poolId: string, limit: number, afterId?: string): Promise<Page<ClientRecord>> {
    await this.pools.get(poolId);
    return this.storage.clients.list(poolId, limit, afterId);
  }

  /** The UserPoolClientType that Create/Describe/UpdateUserPoolClient return. */
  describe(client: ClientRecord): Wire<UserPoolClientType> {
    return {
      UserPoolId: client.poolId,
      ClientName: client.name,
      ClientId: client.clientId,
      ...(client.secret !== null && { ClientSecret: client.secret }),
      LastModifiedDate: toEpochSeconds(client.updatedAt),
      CreationDate: toEpochSeconds(client.createdAt),
      ...(client.config as Wire<UserPoolClientType>),
    };
  }
}
