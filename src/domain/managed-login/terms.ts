import { randomUUID } from 'node:crypto';
import type { CreateTermsRequest, TermsDescriptionType, TermsType, UpdateTermsRequest } from '@aws-sdk/client-cognito-identity-provider';
import { toEpochSeconds, type Clock } from '../../clock.js';
import type { Page, PoolDocumentRecord, Storage } from '../../storage/types.js';
import type { AppClients } from '../clients/app-clients.js';
import { CognitoError, invalidParameter, resourceNotFound } from '../errors.js';
import { updateVersioned } from '../optimistic.js';
import type { UserPools } from '../pools/user-pools.js';
import type { Wire } from '../wire.js';
import { allDocuments, insertAlone } from './documents.js';

export interface TermsBody {
  clientId: string;
  TermsName: string;
  TermsSource: string;
  Enforcement: string;
  Links: Record<string, string>;
}

type TermsDocument = PoolDocumentRecord<TermsBody>;

const notFound = (id: string) => resourceNotFound(`Terms ${id} do not exist.`);
const exists = (name: string, clientId: string) => new CognitoError('TermsExistsException', `Terms ${name} already exist for app client ${clientId}.`);

/** TermsType as the operations answer it. */
export const describeTerms = (document: TermsDocument): Wire<TermsType> => ({
  TermsId: document.key,
  UserPoolId: document.poolId,
  ClientId: document.body.clientId,
  TermsName: document.body.TermsName,
  TermsSource: document.body.TermsSource as TermsType['TermsSource'],
  Enforcement: document.body.Enforcement as TermsType['Enforcement'],
  Links: document.body.Links,
  CreationDate: toEpochSeconds(document.createdAt),
  LastModifiedDate: toEpochSeconds(document.updatedAt),
});

/** TermsDescriptionType, ListTerms' summary. */
export const summarizeTerms = (document: TermsDocument): Wire<TermsDescriptionType> => ({
  TermsId: document.key,
  TermsName: document.body.TermsName,
  Enforcement: document.body.Enforcement as TermsType['Enforcement'],
  CreationDate: toEpochSeconds(document.createdAt),
  LastModifiedDate: toEpochSeconds(document.updatedAt),
});

/**
 * Terms documents: the terms of use and privacy policy links managed login shows for an app client,
 * one of each name per client, each link by language.
 */
export class Terms {
  constructor(
    private readonly storage: Storage,
    private readonly pools: UserPools,
    private readonly clients: AppClients,
    private readonly clock: Clock,
  ) {}

  async create(input: CreateTermsRequest): Promise<TermsDocument> {
    const client = await this.clients.get(input.UserPoolId!, input.ClientId!);
    if (input.Links === undefined) throw invalidParameter('Links are required when TermsSource is LINK.');
    const now = this.clock.now();
    const document: TermsDocument = {
      poolId: client.poolId,
      kind: 'terms',
      key: randomUUID(),
      body: { clientId: client.clientId, TermsName: input.TermsName!, TermsSource: input.TermsSource!, Enforcement: input.Enforcement!, Links: input.Links },
      createdAt: now,
      updatedAt: now,
      version: 0,
    };
    const name = document.body.TermsName;
    await insertAlone(this.storage.poolDocuments, document, () => this.named(client.poolId, client.clientId, name), () => exists(name, client.clientId));
    return document;
  }

  async get(poolId: string, id: string): Promise<TermsDocument> {
    const pool = await this.pools.get(poolId);
    const document = await this.storage.poolDocuments.get<TermsBody>(pool.id, 'terms', id);
    if (!document) throw notFound(id);
    return document;
  }

  async forClient(poolId: string, clientId: string, name: string): Promise<TermsDocument> {
    const client = await this.clients.get(poolId, clientId);
    const [document] = await this.named(client.poolId, client.clientId, name);
    if (!document) throw resourceNotFound(`App client ${client.clientId} has no terms ${name}.`);
    return document;
  }

  async list(poolId: string, limit: number, after?: string): Promise<Page<TermsDocument>> {
    const pool = await this.pools.get(poolId);
    return this.storage.poolDocuments.list<TermsBody>(pool.id, 'terms', limit, after);
  }

  /**
   * UpdateTerms changes what it names and keeps the rest. A rename is checked against the client's
   * other terms before the write only: unlike a create it is not re-checked after, so two renames
   * racing to one name may both land.
   */
  async update(input: UpdateTermsRequest): Promise<TermsDocument> {
    const current = await this.get(input.UserPoolId!, input.TermsId!);
    const renamed = input.TermsName !== undefined && input.TermsName !== current.body.TermsName;
    if (renamed && (await this.named(current.poolId, current.body.clientId, input.TermsName!)).length > 0) throw exists(input.TermsName!, current.body.clientId);
    return updateVersioned(
      async (round) => (round === 0 ? current : await this.get(current.poolId, current.key)),
      (stored) => ({
        ...stored,
        body: {
          clientId: stored.body.clientId,
          TermsName: input.TermsName ?? stored.body.TermsName,
          TermsSource: input.TermsSource ?? stored.body.TermsSource,
          Enforcement: input.Enforcement ?? stored.body.Enforcement,
          Links: input.Links ?? stored.body.Links,
        },
        updatedAt: this.clock.now(),
      }),
      (next) => this.storage.poolDocuments.update(next),
    );
  }

  async delete(poolId: string, id: string): Promise<void> {
    const pool = await this.pools.get(poolId);
    if (!(await this.storage.poolDocuments.delete(pool.id, 'terms', id))) throw notFound(id);
  }

  private async named(poolId: string, clientId: string, name: string): Promise<TermsDocument[]> {
    const all = await allDocuments<TermsBody>(this.storage.poolDocuments, poolId, 'terms');
    return all.filter((document) => document.body.clientId === clientId && document.body.TermsName === name);
  }
}
