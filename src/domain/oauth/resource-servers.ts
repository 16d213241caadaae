import type { CreateResourceServerRequest, ResourceServerScopeType, ResourceServerType } from '@aws-sdk/client-cognito-identity-provider';
import type { Clock } from '../../clock.js';
import type { Page, PoolDocumentRecord, Storage } from '../../storage/types.js';
import { NamedDocuments } from '../managed-login/documents.js';
import { CognitoError, invalidParameter, resourceNotFound } from '../errors.js';
import { updateVersioned } from '../optimistic.js';
import type { UserPools } from '../pools/user-pools.js';

/** Cognito's default quota of resource servers per pool. */
const MAX_PER_POOL = 25;

export interface ResourceServerBody {
  Name: string;
  Scopes: ResourceServerScopeType[];
}

type ResourceServerInput = Pick<CreateResourceServerRequest, 'UserPoolId' | 'Identifier' | 'Name' | 'Scopes'>;

const notFound = (identifier: string) => resourceNotFound(`Resource server ${identifier} does not exist.`);

/** ResourceServerType as the operations answer it. */
export const describeResourceServer = (document: PoolDocumentRecord<ResourceServerBody>): ResourceServerType => ({
  UserPoolId: document.poolId,
  Identifier: document.key,
  Name: document.body.Name,
  Scopes: document.body.Scopes,
});

/** The custom scopes a resource server offers, as tokens and clients name them: `identifier/scope`. */
export const scopesOf = (document: PoolDocumentRecord<ResourceServerBody>): string[] => document.body.Scopes.map((scope) => `${document.key}/${scope.ScopeName}`);

/**
 * Resource servers: the APIs a pool issues access tokens for, each with the custom scopes
 * (`identifier/scope`) app clients may be allowed and tokens may carry.
 */
export class ResourceServers {
  private readonly documents: NamedDocuments<ResourceServerBody>;

  constructor(
    private readonly storage: Storage,
    private readonly pools: UserPools,
    private readonly clock: Clock,
  ) {
    this.documents = new NamedDocuments(storage.poolDocuments, pools, 'resource-server', { taken: (key, poolId) => invalidParameter(`${key} already exists in pool ${poolId}.`), missing: notFound });
  }

  async create(input: ResourceServerInput): Promise<PoolDocumentRecord<ResourceServerBody>> {
    const pool = await this.pools.get(input.UserPoolId!);
    // Checked before the insert, so nodes racing at the limit may pass it by one; the quota is about size, not security.
    if ((await this.storage.poolDocuments.list(pool.id, 'resource-server', MAX_PER_POOL)).items.length >= MAX_PER_POOL) {
      throw new CognitoError('LimitExceededException', `The user pool has reached its limit of ${MAX_PER_POOL} resource servers.`);
    }
    const now = this.clock.now();
    const document: PoolDocumentRecord<ResourceServerBody> = {
      poolId: pool.id,
      kind: 'resource-server',
      key: input.Identifier!,
      body: bodyOf(input),
      createdAt: now,
      updatedAt: now,
      version: 0,
    };
    await this.documents.insert(document);
    return document;
  }

  get(poolId: string, identifier: string): Promise<PoolDocumentRecord<ResourceServerBody>> {
    return this.documents.get(poolId, identifier);
  }

  list(poolId: string, limit: number, after?: string): Promise<Page<PoolDocumentRecord<ResourceServerBody>>> {
    return this.documents.list(poolId, limit, after);
  }

  /** Every custom scope the pool offers. */
  async scopesOfPool(poolId: string): Promise<Set<string>> {
    const scopes = new Set<string>();
    let after: string | undefined;
    do {
      const page = await this.list(poolId, MAX_PER_POOL, after);
      for (const server of page.items) for (const scope of scopesOf(server)) scopes.add(scope);
      after = page.nextKey;
    } while (after !== undefined);
    return scopes;
  }

  /** UpdateResourceServer replaces the name and the scopes. */
  async update(input: ResourceServerInput): Promise<PoolDocumentRecord<ResourceServerBody>> {
    const current = await this.get(input.UserPoolId!, input.Identifier!);
    const body = bodyOf(input);
    return updateVersioned(
      async (round) => (round === 0 ? current : await this.get(current.poolId, current.key)),
      (stored) => ({ ...stored, body, updatedAt: this.clock.now() }),
      (next) => this.storage.poolDocuments.update(next),
    );
  }

  delete(poolId: string, identifier: string): Promise<void> {
    return this.documents.delete(poolId, identifier);
  }
}

/** Scope names are unique within their server; Cognito keeps them in the order given. */
function bodyOf(input: ResourceServerInput): ResourceServerBody {
  const scopes = input.Scopes ?? [];
  const names = new Set(scopes.map((scope) => scope.ScopeName));
  if (names.size !== scopes.length) throw invalidParameter('Scope names must be unique within a resource server.');
  return { Name: input.Name!, Scopes: scopes.map(({ ScopeName, ScopeDescription }) => ({ ScopeName, ScopeDescription })) };
}
