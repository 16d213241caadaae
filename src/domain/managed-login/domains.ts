import type {
  CreateUserPoolDomainRequest,
  CreateUserPoolDomainResponse,
  DomainDescriptionType,
  UpdateUserPoolDomainRequest,
} from '@aws-sdk/client-cognito-identity-provider';
import type { Clock } from '../../clock.js';
import { DuplicateKeyError, type PoolDocumentRecord, type Storage } from '../../storage/types.js';
import { CognitoError, invalidParameter } from '../errors.js';
import { updateVersioned } from '../optimistic.js';
import type { Pool, PoolIdentity, UserPools } from '../pools/user-pools.js';
import { allDocuments, insertAlone, versionStamp } from './documents.js';

export interface DomainBody {
  /**
   * The host name the domain answers at: `<prefix>.auth.<region>.amazoncognito.com` for a prefix,
   * the name itself for a custom domain. Reported as CloudFrontDistribution, since Gatehouse is its
   * own distribution, and what a request's Host is matched against.
   */
  host: string;
  managedLoginVersion: number;
  /** Only custom domains have one. */
  certificateArn?: string;
}

type DomainDocument = PoolDocumentRecord<DomainBody>;

const CLASSIC_HOSTED_UI = 1;
const MANAGED_LOGIN = 2;

/** Cognito's own check of a prefix, with its own message (the model's pattern, applied whatever the model layer lets through). */
const PREFIX = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const PREFIX_MESSAGE =
  'The domain name contains an invalid character. Domain names can only contain lower-case letters, numbers, and hyphens. Please enter a different name that follows this format: ^[a-z0-9](?:[a-z0-9\\-]{0,61}[a-z0-9])?$';
/** Words a prefix may not contain, so that no pool's sign-in page passes for AWS's own. */
const RESERVED_WORDS = ['aws', 'amazon', 'cognito'];
const HOST_NAME = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/;

const noSuchDomain = () => invalidParameter('No such domain or user pool exists.');
const isCustom = (document: DomainDocument) => document.body.certificateArn !== undefined;

/**
 * User pool domains: where a pool's hosted sign-in and OAuth endpoints answer. A pool has at most one
 * prefix domain and one custom domain; a domain name belongs to one pool across all of them.
 */
export class UserPoolDomains {
  constructor(
    private readonly storage: Storage,
    private readonly pools: UserPools,
    private readonly clock: Clock,
    private readonly identity: PoolIdentity,
    private readonly loginDomainBase: string,
  ) {}

  /**
   * The pool a request's Host names, if it names one: a custom domain by its own name, a prefix
   * domain under Cognito's suffix or under the configured base (`<prefix>.auth.localhost`).
   */
  async poolOfHost(host: string | undefined): Promise<string | undefined> {
    const name = host?.replace(/:\d+$/, '').toLowerCase();
    if (!name) return undefined;
    const prefixBases = [`.auth.${this.identity.region}.amazoncognito.com`, `.${this.loginDomainBase}`];
    const base = prefixBases.find((suffix) => name.endsWith(suffix));
    const document = await this.find(base ? name.slice(0, -base.length) : name);
    return document && isCustom(document) === (base === undefined) ? document.poolId : undefined;
  }

  async create(input: CreateUserPoolDomainRequest): Promise<DomainDocument> {
    const pool = await this.pools.get(input.UserPoolId!);
    const custom = input.CustomDomainConfig !== undefined;
    const now = this.clock.now();
    const document: DomainDocument = {
      poolId: pool.id,
      kind: 'domain',
      key: input.Domain!,
      body: {
        host: this.hostOf(input.Domain!, custom),
        managedLoginVersion: managedLoginVersionFor(pool, input.ManagedLoginVersion ?? CLASSIC_HOSTED_UI),
        ...(custom && { certificateArn: input.CustomDomainConfig!.CertificateArn! }),
      },
      createdAt: now,
      updatedAt: now,
      version: 0,
    };
    const sameKind = async () => (await this.ofPool(pool.id)).filter((other) => isCustom(other) === custom);
    try {
      await insertAlone(this.storage.poolDocuments, document, sameKind, () => invalidParameter('User pool already has a domain configured.'));
    } catch (error) {
      if (error instanceof DuplicateKeyError) throw invalidParameter('Domain already associated with another user pool.');
      throw error;
    }
    return document;
  }

  /** The domain of whichever pool has it, or nothing: Cognito answers an empty description for an unknown domain. */
  async find(domain: string): Promise<DomainDocument | undefined> {
    return this.storage.poolDocuments.find<DomainBody>('domain', domain);
  }

  /** UpdateUserPoolDomain: the managed login version, and a custom domain's certificate. */
  async update(input: UpdateUserPoolDomainRequest): Promise<DomainDocument> {
    const pool = await this.pools.get(input.UserPoolId!);
    const read = async () => {
      const document = await this.storage.poolDocuments.get<DomainBody>(pool.id, 'domain', input.Domain!);
      if (!document) throw noSuchDomain();
      return document;
    };
    const current = await read();
    if (input.CustomDomainConfig && !isCustom(current)) throw invalidParameter('CustomDomainConfig applies only to a custom domain.');
    const managedLoginVersion = input.ManagedLoginVersion === undefined ? undefined : managedLoginVersionFor(pool, input.ManagedLoginVersion);
    return updateVersioned(
      async (round) => (round === 0 ? current : await read()),
      (stored) => ({
        ...stored,
        body: {
          ...stored.body,
          managedLoginVersion: managedLoginVersion ?? stored.body.managedLoginVersion,
          ...(input.CustomDomainConfig && { certificateArn: input.CustomDomainConfig.CertificateArn! }),
        },
        updatedAt: this.clock.now(),
      }),
      (next) => this.storage.poolDocuments.update(next),
    );
  }

  async delete(poolId: string, domain: string): Promise<void> {
    const pool = await this.pools.get(poolId);
    if (!(await this.storage.poolDocuments.delete(pool.id, 'domain', domain))) throw noSuchDomain();
  }

  /** UserPoolType's Domain and CustomDomain, for DescribeUserPool. */
  async namesOf(poolId: string): Promise<{ Domain?: string; CustomDomain?: string }> {
    const names: { Domain?: string; CustomDomain?: string } = {};
    for (const document of await this.ofPool(poolId)) names[isCustom(document) ? 'CustomDomain' : 'Domain'] = document.key;
    return names;
  }

  /** Cognito refuses to delete a pool that still has a domain. */
  async checkDeletable(poolId: string): Promise<void> {
    if (await this.hasDomain(poolId)) throw invalidParameter('User pool cannot be deleted. It has a domain configured that should be deleted first.');
  }

  async hasDomain(poolId: string): Promise<boolean> {
    return (await this.ofPool(poolId)).length > 0;
  }

  /** DomainDescriptionType. Gatehouse keeps no S3 bucket, so S3Bucket is left out. */
  describe(document: DomainDocument): DomainDescriptionType {
    return {
      UserPoolId: document.poolId,
      AWSAccountId: this.identity.accountId,
      Domain: document.key,
      CloudFrontDistribution: document.body.host,
      Version: versionStamp(document.updatedAt),
      Status: 'ACTIVE',
      ...(isCustom(document) && { CustomDomainConfig: { CertificateArn: document.body.certificateArn! } }),
      ManagedLoginVersion: document.body.managedLoginVersion,
    };
  }

  private ofPool(poolId: string): Promise<DomainDocument[]> {
    return allDocuments<DomainBody>(this.storage.poolDocuments, poolId, 'domain');
  }

  private hostOf(domain: string, custom: boolean): string {
    if (custom) {
      if (!HOST_NAME.test(domain)) throw invalidParameter(`${domain} is not a valid domain name.`);
      return domain;
    }
    if (!PREFIX.test(domain)) throw invalidParameter(PREFIX_MESSAGE);
    if (RESERVED_WORDS.some((word) => domain.includes(word))) {
      throw invalidParameter(`The domain prefix can't contain the reserved words ${RESERVED_WORDS.join(', ')}.`);
    }
    return `${domain}.auth.${this.identity.region}.amazoncognito.com`;
  }
}

/**
 * What CreateUserPoolDomain and UpdateUserPoolDomain answer: CloudFrontDomain, the name a DNS alias
 * must point at, only for a custom domain (Cognito returns none for a prefix domain).
 */
export const domainWritten = (document: DomainDocument): CreateUserPoolDomainResponse => ({
  ManagedLoginVersion: document.body.managedLoginVersion,
  ...(isCustom(document) && { CloudFrontDomain: document.body.host }),
});

function managedLoginVersionFor(pool: Pool, version: number): number {
  if (version !== CLASSIC_HOSTED_UI && version !== MANAGED_LOGIN) {
    throw invalidParameter('ManagedLoginVersion must be 1 (classic hosted UI) or 2 (managed login).');
  }
  if (version === MANAGED_LOGIN && (pool.settings.UserPoolTier ?? 'ESSENTIALS') === 'LITE') {
    throw new CognitoError('FeatureUnavailableInTierException', 'Managed login requires the ESSENTIALS or PLUS feature plan.');
  }
  return version;
}
