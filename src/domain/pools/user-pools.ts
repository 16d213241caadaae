import type {
  CreateUserPoolRequest,
  SchemaAttributeType,
  UpdateUserPoolRequest,
  UserPoolType,
} from '@aws-sdk/client-cognito-identity-provider';
import { toEpochSeconds, type Clock } from '../../clock.js';
import { DuplicateKeyError, type Page, type PoolRecord, type Storage } from '../../storage/types.js';
import { CognitoError, invalidParameter, resourceNotFound } from '../errors.js';
import { newPoolId } from '../ids.js';
import type { SigningKeys } from '../keys/signing-keys.js';
import type { Wire } from '../wire.js';
import { MFA_FACTOR_FIELDS, settingsAfterUpdate, settingsForNewPool, type PoolSettings } from './pool-settings.js';
import { appendCustomAttributes } from './schema.js';

const MAX_TAGS = 50;

export interface PoolIdentity {
  region: string;
  accountId: string;
}

export class UserPools {
  constructor(
    private readonly storage: Storage,
    private readonly keys: SigningKeys,
    private readonly clock: Clock,
    private readonly identity: PoolIdentity,
  ) {}

  async create(input: CreateUserPoolRequest, fixedId?: string): Promise<PoolRecord> {
    const settings = settingsForNewPool(input);
    const tags = checkTags(input.UserPoolTags ?? {});
    for (let attempt = 0; ; attempt++) {
      const id = fixedId ?? newPoolId(this.identity.region);
      const now = this.clock.now();
      const pool: PoolRecord = { id, name: input.PoolName!, config: settings, tags, userCount: 0, createdAt: now, updatedAt: now };
      try {
        await this.storage.pools.insert(pool, await this.keys.generateForPool(id));
        return pool;
      } catch (error) {
        // A random id that collides is drawn again; a fixed one is the caller's to resolve.
        if (!(error instanceof DuplicateKeyError) || fixedId !== undefined || attempt > 2) throw error;
      }
    }
  }

  /** The pool, or Cognito's ResourceNotFoundException. */
  async get(id: string): Promise<PoolRecord> {
    const pool = await this.storage.pools.get(id);
    if (!pool) throw resourceNotFound(`User pool ${id} does not exist.`);
    return pool;
  }

  async update(input: UpdateUserPoolRequest): Promise<PoolRecord> {
    const pool = await this.get(input.UserPoolId!);
    const updated: PoolRecord = {
      ...pool,
      name: input.PoolName ?? pool.name,
      config: settingsAfterUpdate(pool.config as PoolSettings, input),
      tags: input.UserPoolTags ? checkTags(input.UserPoolTags) : pool.tags,
      updatedAt: this.clock.now(),
    };
    await this.save(updated);
    return updated;
  }

  /** Writes what `change` makes of the pool's settings (SetUserPoolMfaConfig's way in). */
  async changeSettings(id: string, change: (settings: PoolSettings) => PoolSettings): Promise<PoolRecord> {
    const pool = await this.get(id);
    const updated: PoolRecord = { ...pool, config: change(pool.config as PoolSettings), updatedAt: this.clock.now() };
    await this.save(updated);
    return updated;
  }

  async delete(id: string): Promise<void> {
    const pool = await this.get(id);
    if ((pool.config as PoolSettings).DeletionProtection === 'ACTIVE') {
      throw invalidParameter('The user pool cannot be deleted because deletion protection is activated. Deletion protection must be inactivated first.');
    }
    if (!(await this.storage.pools.delete(id))) throw resourceNotFound(`User pool ${id} does not exist.`);
  }

  findByName(name: string): Promise<PoolRecord[]> {
    return this.storage.pools.findByName(name);
  }

  list(limit: number, afterId?: string): Promise<Page<PoolRecord>> {
    return this.storage.pools.list(limit, afterId);
  }

  async addCustomAttributes(id: string, attributes: SchemaAttributeType[]): Promise<void> {
    const pool = await this.get(id);
    const settings = pool.config as PoolSettings;
    const schema = appendCustomAttributes(settings.SchemaAttributes ?? [], attributes);
    await this.save({ ...pool, config: { ...settings, SchemaAttributes: schema }, updatedAt: this.clock.now() });
  }

  async tag(arn: string, tags: Record<string, string>): Promise<void> {
    const pool = await this.getByArn(arn);
    await this.save({ ...pool, tags: checkTags({ ...pool.tags, ...tags }) });
  }

  async untag(arn: string, keys: string[]): Promise<void> {
    const pool = await this.getByArn(arn);
    const tags = { ...pool.tags };
    for (const key of keys) delete tags[key];
    await this.save({ ...pool, tags });
  }

  async tagsOf(arn: string): Promise<Record<string, string>> {
    return (await this.getByArn(arn)).tags;
  }

  arnOf(poolId: string): string {
    return `arn:aws:cognito-idp:${this.identity.region}:${this.identity.accountId}:userpool/${poolId}`;
  }

  /** The UserPoolType that CreateUserPool and DescribeUserPool return. */
  describe(pool: PoolRecord): Wire<UserPoolType> {
    const settings = pool.config as Wire<PoolSettings> & Record<string, unknown>;
    const description: Record<string, unknown> = {
      Id: pool.id,
      Name: pool.name,
      Arn: this.arnOf(pool.id),
      CreationDate: toEpochSeconds(pool.createdAt),
      LastModifiedDate: toEpochSeconds(pool.updatedAt),
      EstimatedNumberOfUsers: pool.userCount,
    };
    for (const [field, value] of Object.entries(settings)) {
      if (!MFA_FACTOR_FIELDS.has(field)) description[field] = value;
    }
    description.UserPoolTags = pool.tags;
    return description as Wire<UserPoolType>;
  }

  private async getByArn(arn: string): Promise<PoolRecord> {
    const match = /^arn:aws:cognito-idp:([^:]+):(\d+):userpool\/(.+)$/.exec(arn);
    if (!match || match[1] !== this.identity.region || match[2] !== this.identity.accountId) {
      throw resourceNotFound(`Resource ${arn} does not exist.`);
    }
    const pool = await this.storage.pools.get(match[3]!);
    if (!pool) throw resourceNotFound(`Resource ${arn} does not exist.`);
    return pool;
  }

  private async save(pool: PoolRecord): Promise<void> {
    if (!(await this.storage.pools.update(pool))) throw resourceNotFound(`User pool ${pool.id} does not exist.`);
  }
}

function checkTags(tags: Record<string, string>): Record<string, string> {
  if (Object.keys(tags).length > MAX_TAGS) {
    throw new CognitoError('UserPoolTaggingException', `A user pool can have at most ${MAX_TAGS} tags.`);
  }
  return tags;
}
