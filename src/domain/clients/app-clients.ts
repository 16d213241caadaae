import type {
  CreateUserPoolClientRequest,
  UpdateUserPoolClientRequest,
  UserPoolClientType,
} from '@aws-sdk/client-cognito-identity-provider';
import { toEpochSeconds, type Clock } from '../../clock.js';
import { DuplicateKeyError, type ClientRecord, type Page, type Storage } from '../../storage/types.js';
import { CognitoError, invalidParameter, resourceNotFound } from '../errors.js';
import { newClientId, newClientSecret } from '../ids.js';
import type { SecretBox } from '../keys/secret-box.js';
import { updateVersioned } from '../optimistic.js';
import type { UserPools } from '../pools/user-pools.js';
import type { ResourceServers } from '../oauth/resource-servers.js';
import type { Wire } from '../wire.js';
import { clientSettings, type ClientSettings } from './client-settings.js';
import { MAX_CLIENT_SECRETS, newSecretId, secretsFromStored, storedSecrets, type ClientSecret } from './client-secrets.js';

/** Ids and secret a seed file may fix instead of having them drawn. */
export interface FixedClientCredentials {
  clientId?: string;
  clientSecret?: string;
}

/** An app client as the domain sees it: settings typed, the secrets open (they are sealed at rest). */
export interface AppClient extends Omit<ClientRecord, 'config' | 'secret'> {
  settings: ClientSettings;
  /** Oldest first; none for a public client. Every one is accepted until it is deleted. */
  secrets: readonly ClientSecret[];
}

/** The secret DescribeUserPoolClient shows and Gatehouse's own pages sign with: the oldest still kept. */
export const primarySecret = (client: AppClient): string | undefined => client.secrets[0]?.value;

/** A secret belongs to its client's row: sealed, it opens in no other. */
export const clientSecretContext = (clientId: string) => `client-secret:${clientId}`;

export class AppClients {
  constructor(
    private readonly storage: Storage,
    private readonly pools: UserPools,
    private readonly secrets: SecretBox,
    private readonly clock: Clock,
    private readonly resourceServers: ResourceServers,
  ) {}

  async create(input: CreateUserPoolClientRequest, fixed: FixedClientCredentials = {}): Promise<AppClient> {
    const pool = await this.pools.get(input.UserPoolId!);
    if (input.GenerateSecret && input.ClientSecret !== undefined) throw invalidParameter('You cannot specify both GenerateSecret as true and provide a ClientSecret value.');
    const secret = fixed.clientSecret ?? input.ClientSecret ?? (input.GenerateSecret ? newClientSecret() : undefined);
    const customScopes = await this.resourceServers.scopesOfPool(pool.id);
    await this.checkProviders(pool.id, input.SupportedIdentityProviders);
    const settings = clientSettings(input, pool.settings.SchemaAttributes ?? [], { action: 'creating', hasSecret: secret !== undefined, customScopes });
    const now = this.clock.now();
    const clientId = fixed.clientId ?? newClientId();
    const client: AppClient = {
      clientId,
      poolId: pool.id,
      name: input.ClientName!,
      secrets: secret === undefined ? [] : [{ id: newSecretId(clientId, now), value: secret, createdAt: now }],
      settings,
      createdAt: now,
      updatedAt: now,
      version: 0,
    };
    try {
      await this.storage.clients.insert(this.toRecord(client));
    } catch (error) {
      if (error instanceof DuplicateKeyError) {
        throw new CognitoError('InvalidParameterException', `Client id ${client.clientId} is already in use.`);
      }
      throw error;
    }
    return client;
  }

  /** The client, or the ResourceNotFoundException Cognito answers for an unknown one. */
  async get(poolId: string, clientId: string): Promise<AppClient> {
    const record = await this.storage.clients.get(poolId, clientId);
    if (record) return this.served(record);
    await this.pools.get(poolId);
    throw resourceNotFound(`User pool client ${clientId} does not exist.`);
  }

  /**
   * The client a public or Admin* auth call names. Client ids are unique across pools; an Admin*
   * call also names the pool, which must exist and own the client.
   */
  async forCall(clientId: string, poolId?: string): Promise<AppClient> {
    const record = await this.storage.clients.findById(clientId);
    if (record && (poolId === undefined || record.poolId === poolId)) return this.served(record);
    if (poolId !== undefined) await this.pools.get(poolId);
    throw resourceNotFound(`User pool client ${clientId} does not exist.`);
  }

  async findByName(poolId: string, name: string): Promise<AppClient | undefined> {
    const record = await this.storage.clients.findByName(poolId, name);
    return record && this.typedClient(record);
  }

  /** UpdateUserPoolClient, a whole replacement of the settings; a seed file may also pin the secret. */
  async update(input: UpdateUserPoolClientRequest, fixedSecret?: string): Promise<AppClient> {
    const pool = await this.pools.get(input.UserPoolId!);
    const customScopes = await this.resourceServers.scopesOfPool(pool.id);
    await this.checkProviders(pool.id, input.SupportedIdentityProviders);
    return updateVersioned(
      () => this.get(pool.id, input.ClientId!),
      (current) => {
        const secrets = fixedSecret === undefined || primarySecret(current) === fixedSecret ? current.secrets : [this.newSecret(current, fixedSecret, [])];
        const settings = clientSettings(input, pool.settings.SchemaAttributes ?? [], { action: 'updating', hasSecret: secrets.length > 0, customScopes });
        return { ...current, name: input.ClientName ?? current.name, secrets, settings, updatedAt: this.clock.now() };
      },
      (client) => this.storage.clients.update(this.toRecord(client)),
    );
  }

  /** A client may name only the pool's own users (COGNITO) and the identity providers the pool has. */
  private async checkProviders(poolId: string, names: string[] | undefined): Promise<void> {
    for (const name of names ?? []) {
      if (name === 'COGNITO') continue;
      if (!(await this.storage.poolDocuments.get(poolId, 'identity-provider', name))) throw invalidParameter(`The provider ${name} does not exist for User Pool ${poolId}`);
    }
  }

  /** AddUserPoolClientSecret: a second secret for a confidential client, generated unless one is given. */
  async addSecret(poolId: string, clientId: string, value: string | undefined): Promise<ClientSecret> {
    const updated = await updateVersioned(
      () => this.get(poolId, clientId),
      (current) => {
        if (current.secrets.length === 0) throw invalidParameter(`Client ${clientId} has no client secret: secrets can be added only to a confidential client.`);
        if (current.secrets.length >= MAX_CLIENT_SECRETS) throw new CognitoError('LimitExceededException', `Client ${clientId} already has the maximum of ${MAX_CLIENT_SECRETS} client secrets.`);
        if (value !== undefined && current.secrets.some((secret) => secret.value === value)) throw invalidParameter('The client secret is already one of the client\'s secrets.');
        return { ...current, secrets: [...current.secrets, this.newSecret(current, value ?? newClientSecret(), current.secrets)], updatedAt: this.clock.now() };
      },
      (client) => this.storage.clients.update(this.toRecord(client)),
    );
    return updated.secrets.at(-1)!;
  }

  /** DeleteUserPoolClientSecret: it stops being accepted at once; the last one stays. */
  async deleteSecret(poolId: string, clientId: string, secretId: string): Promise<void> {
    await updateVersioned(
      () => this.get(poolId, clientId),
      (current) => {
        if (!current.secrets.some((secret) => secret.id === secretId)) throw resourceNotFound(`Client secret ${secretId} does not exist.`);
        if (current.secrets.length === 1) throw invalidParameter('The last client secret of a client cannot be deleted.');
        return { ...current, secrets: current.secrets.filter((secret) => secret.id !== secretId), updatedAt: this.clock.now() };
      },
      (client) => this.storage.clients.update(this.toRecord(client)),
    );
  }

  private newSecret(client: AppClient, value: string, taken: readonly ClientSecret[]): ClientSecret {
    const now = this.clock.now();
    return { id: newSecretId(client.clientId, now, taken), value, createdAt: now };
  }

  async delete(poolId: string, clientId: string): Promise<void> {
    await this.get(poolId, clientId);
    if (!(await this.storage.clients.delete(poolId, clientId))) throw resourceNotFound(`User pool client ${clientId} does not exist.`);
  }

  async list(poolId: string, limit: number, afterId?: string): Promise<Page<AppClient>> {
    await this.pools.get(poolId);
    const page = await this.storage.clients.list(poolId, limit, afterId);
    return { ...page, items: page.items.map((record) => this.typedClient(record)) };
  }

  /** The UserPoolClientType that Create/Describe/UpdateUserPoolClient return. */
  describe(client: AppClient): Wire<UserPoolClientType> {
    return {
      UserPoolId: client.poolId,
      ClientName: client.name,
      ClientId: client.clientId,
      ...(client.secrets.length > 0 && { ClientSecret: primarySecret(client) }),
      LastModifiedDate: toEpochSeconds(client.updatedAt),
      CreationDate: toEpochSeconds(client.createdAt),
      ...(client.settings as Wire<ClientSettings>),
    };
  }

  private toRecord({ settings, secrets, ...client }: AppClient): ClientRecord {
    return { ...client, config: settings, secret: secrets.length === 0 ? null : this.secrets.seal(storedSecrets(secrets), clientSecretContext(client.clientId)) };
  }

  /** Typed clients by the stored record they came from: storage hands out one record until the client changes. */
  private readonly typed = new WeakMap<ClientRecord, AppClient>();

  /** The client, unless this node's region does not serve its pool: there it does not exist. */
  private async served(record: ClientRecord): Promise<AppClient> {
    if (!(await this.pools.serves(record.poolId))) throw resourceNotFound(`User pool client ${record.clientId} does not exist.`);
    return this.typedClient(record);
  }

  /** The one place a stored client becomes a typed one (the secret opened once, not on every call). */
  private typedClient(stored: ClientRecord): AppClient {
    let client = this.typed.get(stored);
    if (!client) {
      const { config, secret, ...record } = stored;
      const secrets = secret === null ? [] : secretsFromStored(this.secrets.open(secret, clientSecretContext(record.clientId)), record.clientId, record.createdAt);
      client = { ...record, settings: config as ClientSettings, secrets };
      this.typed.set(stored, client);
    }
    return client;
  }
}
