import type { ReplicaRoleType, ReplicaStatusType, UpdateReplicaStatusType, UserPoolReplicaType } from '@aws-sdk/client-cognito-identity-provider';
import type { Clock } from '../../clock.js';
import { REGION } from '../../config.js';
import type { PoolDocumentRecord, Storage } from '../../storage/types.js';
import { CognitoError, invalidParameter, resourceNotFound } from '../errors.js';
import { regionOfPoolId } from '../ids.js';
import { allDocuments, insertAlone, upsertDocument } from '../managed-login/documents.js';
import { updateVersioned } from '../optimistic.js';
import { readPoolSettings } from './pool-settings.js';
import { checkTags, poolArn, type PoolIdentity } from './user-pools.js';

/** A `replica` document, kept under its region: one for the primary region, one per replica. */
interface ReplicaBody {
  Status: Extract<ReplicaStatusType, 'ACTIVE' | 'INACTIVE'>;
  Role: ReplicaRoleType;
  /** The primary's: the base of the issuer its tokens name, which the replicas' tokens name too. */
  IssuerBase?: string;
  /** A replica's own tags, kept apart from the primary's as Cognito keeps them. */
  Tags?: Record<string, string>;
}

type ReplicaDocument = PoolDocumentRecord<ReplicaBody>;

/** How the nodes of one region see a pool. */
export interface RegionalView {
  /** Whether they serve it; otherwise it does not exist for them. */
  served: boolean;
  /** The base of the issuer the pool's tokens name when it is not the node's own: the primary region's. */
  issuerBase?: string;
}

const SERVED: RegionalView = { served: true };
/** Cognito allows one replica of a user directory, in one other region. */
const MAX_REPLICAS = 1;
const DOCUMENT_KIND = 'replica';

/**
 * Multi-Region replication. The primary region is the one in the pool's id; a replica region is
 * served by the nodes started with that region on the same database, so there is nothing to copy:
 * what replication decides is which nodes serve the pool. A pool never replicated is served by
 * every node, as before replicas existed (pools imported from elsewhere keep working); once it has
 * had a replica it is served in its primary region and in the regions of its ACTIVE replicas only.
 */
export class PoolReplicas {
  constructor(
    private readonly storage: Storage,
    private readonly clock: Clock,
    private readonly identity: PoolIdentity,
    /** This node's issuer base, recorded for the replicas when the primary region makes one. */
    private readonly issuerBase: () => string,
  ) {}

  /** Whether this node serves the pool, and as which issuer. No query for a pool of this node's own region. */
  async view(poolId: string): Promise<RegionalView> {
    if (regionOfPoolId(poolId) === this.identity.region) return SERVED;
    return this.judge(await this.documents(poolId));
  }

  /** ListUserPools' view: whether this node serves the pool, and the regions of its replicas. */
  async summary(poolId: string): Promise<{ served: boolean; replicaRegions: string[] }> {
    const documents = await this.documents(poolId);
    const served = regionOfPoolId(poolId) === this.identity.region || this.judge(documents).served;
    return { served, replicaRegions: documents.filter((document) => document.body.Role === 'SECONDARY').map((document) => document.key) };
  }

  /** CreateUserPoolReplica: a new replica, INACTIVE until UpdateUserPoolReplica activates it. */
  async create(poolId: string, region: string, tags: Record<string, string> = {}): Promise<UserPoolReplicaType> {
    const settings = readPoolSettings((await this.pool(poolId)).config);
    this.inPrimaryRegion(poolId, 'CreateUserPoolReplica');
    if (!REGION.test(region)) throw invalidParameter(`${region} is not a valid Region.`);
    if (region === regionOfPoolId(poolId)) throw invalidParameter(`User pool ${poolId} has its primary Region in ${region}; a replica needs another Region.`);
    if ((settings.UserPoolTier ?? 'ESSENTIALS') === 'LITE') {
      throw new CognitoError('FeatureUnavailableInTierException', 'Multi-Region replication requires the ESSENTIALS or PLUS feature plan.');
    }
    checkTags(tags);
    if (await this.storage.poolDocuments.get(poolId, DOCUMENT_KIND, region)) throw invalidParameter(`User pool ${poolId} already has a replica in ${region}.`);
    const now = this.clock.now();
    // The primary's document marks the pool as replicated, and tells the replicas which issuer to name.
    await upsertDocument<ReplicaBody>(this.storage.poolDocuments, { poolId, kind: DOCUMENT_KIND, key: regionOfPoolId(poolId) }, { Status: 'ACTIVE', Role: 'PRIMARY', IssuerBase: this.issuerBase() }, now);
    const replica: ReplicaDocument = { poolId, kind: DOCUMENT_KIND, key: region, body: { Status: 'INACTIVE', Role: 'SECONDARY', Tags: tags }, createdAt: now, updatedAt: now, version: 0 };
    await insertAlone(
      this.storage.poolDocuments,
      replica,
      async () => (await this.documents(poolId)).filter((document) => document.body.Role === 'SECONDARY'),
      () => new CognitoError('LimitExceededException', `User pool ${poolId} already has ${MAX_REPLICAS} replica, the most a user pool can have.`),
    );
    return this.describe(replica);
  }

  /** ListUserPoolReplicas: the primary first, then the replicas. */
  async list(poolId: string): Promise<UserPoolReplicaType[]> {
    await this.pool(poolId);
    const documents = await this.documents(poolId);
    this.inPoolRegion(poolId, documents);
    if (documents.length === 0) return [this.describe({ poolId, key: regionOfPoolId(poolId), body: { Status: 'ACTIVE', Role: 'PRIMARY' } })];
    return documents.sort((a, b) => Number(b.body.Role === 'PRIMARY') - Number(a.body.Role === 'PRIMARY')).map((document) => this.describe(document));
  }

  /** UpdateUserPoolReplica: activates or deactivates a replica, from any of the pool's regions. */
  async update(poolId: string, region: string, status: UpdateReplicaStatusType): Promise<UserPoolReplicaType> {
    await this.pool(poolId);
    this.inPoolRegion(poolId, await this.documents(poolId));
    if (region === regionOfPoolId(poolId)) throw invalidParameter(`${region} is the primary Region of user pool ${poolId}; only a replica's status can change.`);
    const written = await updateVersioned(
      () => this.replica(poolId, region),
      (current) => (current.body.Status === status ? undefined : { ...current, body: { ...current.body, Status: status }, updatedAt: this.clock.now() }),
      (next) => this.storage.poolDocuments.update(next),
    );
    return this.describe(written);
  }

  /** DeleteUserPoolReplica: from the primary region, and only once the replica is INACTIVE. */
  async delete(poolId: string, region: string): Promise<UserPoolReplicaType> {
    await this.pool(poolId);
    this.inPrimaryRegion(poolId, 'DeleteUserPoolReplica');
    if (region === regionOfPoolId(poolId)) throw invalidParameter(`${region} is the primary Region of user pool ${poolId}; delete the user pool instead.`);
    const replica = await this.replica(poolId, region);
    if (replica.body.Status !== 'INACTIVE') throw invalidParameter(`The replica of user pool ${poolId} in ${region} is ${replica.body.Status}; only an INACTIVE replica can be deleted.`);
    // The primary's document stays: the pool remains bound to its regions, so the deleted one stops serving it.
    if (!(await this.storage.poolDocuments.delete(poolId, DOCUMENT_KIND, region))) throw noReplica(poolId, region);
    return this.describe(replica, 'DELETING');
  }

  /** The tags of this region's replica of the pool, which Cognito keeps apart from the primary's; undefined where this node is no replica. */
  async localTags(poolId: string): Promise<Record<string, string> | undefined> {
    const replica = await this.localReplica(poolId);
    return replica && (replica.body.Tags ?? {});
  }

  /** Rewrites this region's replica tags; false where this node is no replica of the pool (the pool's own tags are meant). */
  async changeLocalTags(poolId: string, change: (tags: Record<string, string>) => Record<string, string>): Promise<boolean> {
    if (!(await this.localReplica(poolId))) return false;
    await updateVersioned(
      () => this.replica(poolId, this.identity.region),
      (current) => ({ ...current, body: { ...current.body, Tags: change(current.body.Tags ?? {}) }, updatedAt: this.clock.now() }),
      (next) => this.storage.poolDocuments.update(next),
    );
    return true;
  }

  private async localReplica(poolId: string): Promise<ReplicaDocument | undefined> {
    if (regionOfPoolId(poolId) === this.identity.region) return undefined;
    const document = await this.storage.poolDocuments.get<ReplicaBody>(poolId, DOCUMENT_KIND, this.identity.region);
    return document?.body.Role === 'SECONDARY' ? document : undefined;
  }

  private judge(documents: ReplicaDocument[]): RegionalView {
    if (documents.length === 0) return SERVED;
    const primary = documents.find((document) => document.body.Role === 'PRIMARY');
    const served = documents.some((document) => document.key === this.identity.region && document.body.Status === 'ACTIVE');
    return { served, ...(primary?.body.IssuerBase !== undefined && { issuerBase: primary.body.IssuerBase }) };
  }

  private documents(poolId: string): Promise<ReplicaDocument[]> {
    return allDocuments<ReplicaBody>(this.storage.poolDocuments, poolId, DOCUMENT_KIND);
  }

  private async replica(poolId: string, region: string): Promise<ReplicaDocument> {
    const document = await this.storage.poolDocuments.get<ReplicaBody>(poolId, DOCUMENT_KIND, region);
    if (!document || document.body.Role !== 'SECONDARY') throw noReplica(poolId, region);
    return document;
  }

  /** The pool's record whichever region serves it: an INACTIVE replica's region manages the replica too. */
  private async pool(poolId: string) {
    const record = await this.storage.pools.get(poolId);
    if (!record) throw resourceNotFound(`User pool ${poolId} does not exist.`);
    return record;
  }

  private inPrimaryRegion(poolId: string, operation: string): void {
    const primary = regionOfPoolId(poolId);
    if (primary !== this.identity.region) {
      throw new CognitoError('OperationNotEnabledException', `${operation} must be called in the primary Region of user pool ${poolId} (${primary}).`);
    }
  }

  /** The pool's regions (and, for a pool never replicated, every region) may read and change its replicas. */
  private inPoolRegion(poolId: string, documents: ReplicaDocument[]): void {
    const here = this.identity.region;
    if (regionOfPoolId(poolId) === here || documents.length === 0 || documents.some((document) => document.key === here)) return;
    throw resourceNotFound(`User pool ${poolId} does not exist.`);
  }

  private describe(document: Pick<ReplicaDocument, 'poolId' | 'key' | 'body'>, status: ReplicaStatusType = document.body.Status): UserPoolReplicaType {
    return { RegionName: document.key, Status: status, Role: document.body.Role, UserPoolArn: poolArn(document.key, this.identity.accountId, document.poolId) };
  }
}

const noReplica = (poolId: string, region: string) => resourceNotFound(`User pool ${poolId} has no replica in ${region}.`);
