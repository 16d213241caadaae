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
import { updateVersioned } from '../optimistic.js';
import { SEPARATELY_SET_FIELDS, readPoolSettings, settingsAfterUpdate, settingsForNewPool, type PoolSettings } from './pool-settings.js';
import type { PoolReplicas } from './replicas.js';
import { appendCustomAttributes } from './schema.js';

const MAX_TAGS = 50;
/** Pools remembered as last loaded; past this many the memory starts over. */
const MAX_REMEMBERED = 10_000;

export interface PoolIdentity {
  region: string;
  accountId: string;
}

/** A user pool as the domain sees it: the stored record with its settings typed. */
export interface Pool extends Omit<PoolRecord, 'config'> {
  settings: PoolSettings;
}

const toRecord = ({ settings, ...pool }: Pool): PoolRecord => ({ ...pool, config: settings });

export class UserPools {
  /** Typed pools by the record they came from: the store hands back the same record while the row is unchanged. */
  private readonly typed = new WeakMap<PoolRecord, Pool>();
  /** The newest copy of each pool this process read or wrote: what a request already loaded, for work after it that must not read again. */
  private readonly latest = new Map<string, Pool>();

  constructor(
    private readonly storage: Storage,
    private readonly keys: SigningKeys,
    private readonly clock: Clock,
    private readonly identity: PoolIdentity,
    private readonly replicas: PoolReplicas,
  ) {}

  async create(input: CreateUserPoolRequest, fixedId?: string): Promise<Pool> {
    const settings = settingsForNewPool(input);
    const tags = checkTags(input.UserPoolTags ?? {});
    for (let attempt = 0; ; attempt++) {
      const id = fixedId ?? newPoolId(this.identity.region);
      const now = this.clock.now();
      const pool: Pool = { id, name: input.PoolName!, settings, tags, userCount: 0, createdAt: now, updatedAt: now, version: 0 };
      try {
        await this.storage.pools.insert(toRecord(pool), await this.keys.generateForPool(id));
        return this.remember(pool);
      } catch (error) {
        // A random id that collides is drawn again; a fixed one is the caller's to resolve.
        if (!(error instanceof DuplicateKeyError) || fixedId !== undefined || attempt > 2) throw error;
      }
    }
  }

  /** The pool, or Cognito's ResourceNotFoundException: also for a pool this node's region does not serve. */
  async get(id: string): Promise<Pool> {
    const [record, view] = await Promise.all([this.storage.pools.get(id), this.replicas.view(id)]);
    if (!record || !view.served) throw resourceNotFound(`User pool ${id} does not exist.`);
    return this.typedPool(record);
  }

  /** Whether this node's region serves the pool (see PoolReplicas); where it does not, the pool does not exist. */
  async serves(id: string): Promise<boolean> {
    return (await this.replicas.view(id)).served;
  }

  async update(input: UpdateUserPoolRequest): Promise<Pool> {
    return this.change(input.UserPoolId!, (pool) => ({
      ...pool,
      name: input.PoolName ?? pool.name,
      settings: settingsAfterUpdate(pool.settings, input),
      tags: input.UserPoolTags ? checkTags(input.UserPoolTags) : pool.tags,
      updatedAt: this.clock.now(),
    }));
  }

  /** Writes what `change` makes of the pool's settings (SetUserPoolMfaConfig's way in). */
  async changeSettings(id: string, change: (settings: PoolSettings) => PoolSettings): Promise<Pool> {
    return this.change(id, (pool) => ({ ...pool, settings: change(pool.settings), updatedAt: this.clock.now() }));
  }

  async delete(id: string): Promise<void> {
    const pool = await this.get(id);
    if (pool.settings.DeletionProtection === 'ACTIVE') {
      throw invalidParameter('The user pool cannot be deleted because deletion protection is activated. Deletion protection must be inactivated first.');
    }
    if (!(await this.storage.pools.delete(id))) throw resourceNotFound(`User pool ${id} does not exist.`);
    this.latest.delete(id);
  }

  /** The pool as this process last read or wrote it, without reading it again (undefined if it never did). */
  loaded(id: string): Pool | undefined {
    return this.latest.get(id);
  }

  async findByName(name: string): Promise<Pool[]> {
    return (await this.storage.pools.findByName(name)).map((record) => this.typedPool(record));
  }

  async list(limit: number, afterId?: string): Promise<Page<Pool>> {
    const page = await this.storage.pools.list(limit, afterId);
    return { ...page, items: page.items.map((record) => this.typedPool(record)) };
  }

  async addCustomAttributes(id: string, attributes: SchemaAttributeType[]): Promise<void> {
    await this.changeSettings(id, (settings) => ({ ...settings, SchemaAttributes: appendCustomAttributes(settings.SchemaAttributes ?? [], attributes) }));
  }

  async tag(arn: string, tags: Record<string, string>): Promise<void> {
    await this.changeTags(arn, (current) => checkTags({ ...current, ...tags }));
  }

  async untag(arn: string, keys: string[]): Promise<void> {
    await this.changeTags(arn, (current) => Object.fromEntries(Object.entries(current).filter(([key]) => !keys.includes(key))));
  }

  /** The pool's tags, or on a replica region's node the replica's own. */
  async tagsOf(arn: string): Promise<Record<string, string>> {
    const pool = await this.getByArn(arn);
    return (await this.replicas.localTags(pool.id)) ?? pool.tags;
  }

  private async changeTags(arn: string, change: (tags: Record<string, string>) => Record<string, string>): Promise<void> {
    const { id } = await this.getByArn(arn);
    if (!(await this.replicas.changeLocalTags(id, change))) await this.change(id, (pool) => ({ ...pool, tags: change(pool.tags) }));
  }

  /** The pool's ARN in this node's region: a replica's, where the pool is served as one. */
  arnOf(poolId: string): string {
    return poolArn(this.identity.region, this.identity.accountId, poolId);
  }

  /** The UserPoolType that CreateUserPool and DescribeUserPool return. */
  describe(pool: Pool): Wire<UserPoolType> {
    const description: Record<string, unknown> = {
      Id: pool.id,
      Name: pool.name,
      Arn: this.arnOf(pool.id),
      CreationDate: toEpochSeconds(pool.createdAt),
      LastModifiedDate: toEpochSeconds(pool.updatedAt),
      EstimatedNumberOfUsers: pool.userCount,
    };
    for (const [field, value] of Object.entries(pool.settings)) {
      if (!SEPARATELY_SET_FIELDS.has(field)) description[field] = value;
    }
    description.UserPoolTags = pool.tags;
    return description as Wire<UserPoolType>;
  }

  private async getByArn(arn: string): Promise<Pool> {
    const match = /^arn:aws:cognito-idp:([^:]+):(\d+):userpool\/(.+)$/.exec(arn);
    const record = match && match[1] === this.identity.region && match[2] === this.identity.accountId ? await this.storage.pools.get(match[3]!) : undefined;
    if (!record || !(await this.replicas.view(record.id)).served) throw resourceNotFound(`Resource ${arn} does not exist.`);
    return this.typedPool(record);
  }

  /** Applies `next` to the pool as stored now; a write that lost a race is made again on the winner's copy. */
  private change(id: string, next: (pool: Pool) => Pool): Promise<Pool> {
    return updateVersioned(() => this.get(id), next, (pool) => this.storage.pools.update(toRecord(pool))).then((pool) => this.remember(pool));
  }

  private remember(pool: Pool): Pool {
    if (this.latest.size >= MAX_REMEMBERED && !this.latest.has(pool.id)) this.latest.clear();
    this.latest.set(pool.id, pool);
    return pool;
  }

  private typedPool(record: PoolRecord): Pool {
    let pool = this.typed.get(record);
    if (!pool) {
      const { config, ...rest } = record;
      pool = { ...rest, settings: readPoolSettings(config) };
      this.typed.set(record, pool);
    }
    return this.remember(pool);
  }
}

export const poolArn = (region: string, accountId: string, poolId: string): string => `arn:aws:cognito-idp:${region}:${accountId}:userpool/${poolId}`;

export function checkTags(tags: Record<string, string>): Record<string, string> {
  if (Object.keys(tags).length > MAX_TAGS) {
    throw new CognitoError('UserPoolTaggingException', `A user pool can have at most ${MAX_TAGS} tags.`);
  }
  return tags;
}
