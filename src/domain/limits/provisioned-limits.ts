import type { LimitDefinitionType, LimitType } from '@aws-sdk/client-cognito-identity-provider';
import type { Clock } from '../../clock.js';
import type { Storage } from '../../storage/types.js';
import { invalidParameter } from '../errors.js';
import { upsertDocument } from '../managed-login/documents.js';
import type { UserPools } from '../pools/user-pools.js';
import { FREE_RATES, isApiCategory, type ApiCategory } from './api-categories.js';

/** The pool document a provisioned limit is kept in, keyed by category. */
interface LimitBody {
  requestsPerSecond: number;
}

/** How long a node trusts the limits it read: another node's UpdateProvisionedLimit applies here within this. */
const CACHE_MS = 5_000;
const MAX_CACHED_POOLS = 10_000;

/** A category's limit in one pool, or (without UserPoolId) the deployment's default for every pool. */
interface LimitTarget {
  category: ApiCategory;
  poolId?: string;
}

/**
 * GetProvisionedLimit and UpdateProvisionedLimit, on Gatehouse's own rate limits. Cognito's limits
 * are per account; here they are per pool (the `UserPoolId` attribute beside `Category`), kept as
 * pool documents so every node enforces them. A pool without its own limit has the operator's
 * (`rateLimits.categories`); a rate of 0 means the category is not limited.
 */
export class ProvisionedLimits {
  private readonly cache = new Map<string, { readAt: number; limits: ReadonlyMap<string, number> }>();

  constructor(
    private readonly storage: Storage,
    private readonly pools: UserPools,
    private readonly clock: Clock,
    private readonly defaults: Readonly<Partial<Record<string, number>>>,
  ) {}

  async describe(definition: LimitDefinitionType): Promise<LimitType> {
    const target = targetOf(definition);
    if (target.poolId !== undefined) await this.pools.get(target.poolId);
    const provisioned = await this.rate(target.poolId, target.category);
    return { LimitDefinition: definition, ProvisionedLimitValue: provisioned, FreeLimitValue: FREE_RATES[target.category] };
  }

  async update(definition: LimitDefinitionType, requestsPerSecond: number): Promise<LimitType> {
    const target = targetOf(definition);
    if (target.poolId === undefined) throw invalidParameter('Gatehouse keeps provisioned limits per user pool: name the pool with the UserPoolId attribute beside Category.');
    if (!Number.isInteger(requestsPerSecond) || requestsPerSecond < 0) throw invalidParameter('RequestedLimitValue must be a whole number of requests per second, 0 for no limit.');
    const pool = await this.pools.get(target.poolId);
    await upsertDocument<LimitBody>(this.storage.poolDocuments, { poolId: pool.id, kind: 'provisioned-limit', key: target.category }, { requestsPerSecond }, this.clock.now());
    this.cache.delete(pool.id);
    return { LimitDefinition: definition, ProvisionedLimitValue: requestsPerSecond, FreeLimitValue: FREE_RATES[target.category] };
  }

  /** The requests per second a pool's category may take (0: unlimited), read at most every few seconds. */
  async rate(poolId: string | undefined, category: ApiCategory): Promise<number> {
    if (poolId === undefined) return this.defaultRate(category);
    return (await this.limitsOf(poolId)).get(category) ?? this.defaultRate(category);
  }

  private defaultRate(category: ApiCategory): number {
    return this.defaults[category] ?? 0;
  }

  private async limitsOf(poolId: string): Promise<ReadonlyMap<string, number>> {
    const now = this.clock.now();
    const cached = this.cache.get(poolId);
    if (cached && now - cached.readAt < CACHE_MS) return cached.limits;
    const page = await this.storage.poolDocuments.list<LimitBody>(poolId, 'provisioned-limit', Object.keys(FREE_RATES).length);
    const limits = new Map(page.items.map((document) => [document.key, document.body.requestsPerSecond]));
    // Calls may name any pool id; forgetting everything now and then keeps made-up ones from piling up.
    if (this.cache.size >= MAX_CACHED_POOLS) this.cache.clear();
    this.cache.set(poolId, { readAt: now, limits });
    return limits;
  }

}

function targetOf({ Attributes = {} }: LimitDefinitionType): LimitTarget {
  const { Category: category, UserPoolId: poolId, ...others } = Attributes;
  if (category === undefined || !isApiCategory(category)) throw invalidParameter(`Category must be one of ${Object.keys(FREE_RATES).join(', ')}.`);
  const unknown = Object.keys(others);
  if (unknown.length > 0) throw invalidParameter(`Unknown limit attribute ${unknown[0]}: API_CATEGORY limits take Category and UserPoolId.`);
  return { category, ...(poolId !== undefined && { poolId }) };
}
