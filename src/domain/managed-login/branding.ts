import { randomUUID } from 'node:crypto';
import type { AssetType, CreateManagedLoginBrandingRequest, ManagedLoginBrandingType, UpdateManagedLoginBrandingRequest } from '@aws-sdk/client-cognito-identity-provider';
import { toEpochSeconds, type Clock } from '../../clock.js';
import type { PoolDocumentRecord, Storage } from '../../storage/types.js';
import type { AppClients } from '../clients/app-clients.js';
import { CognitoError, invalidParameter, resourceNotFound } from '../errors.js';
import { updateVersioned } from '../optimistic.js';
import type { UserPools } from '../pools/user-pools.js';
import type { Wire } from '../wire.js';
import { allDocuments, insertAlone } from './documents.js';

type Asset = Wire<AssetType>;

export interface BrandingBody {
  clientId: string;
  useCognitoProvidedValues: boolean;
  /** The Settings document as sent; absent while Cognito's defaults apply. */
  settings?: unknown;
  assets: Asset[];
}

type BrandingDocument = PoolDocumentRecord<BrandingBody>;
type BrandingInput = Pick<Wire<CreateManagedLoginBrandingRequest>, 'UseCognitoProvidedValues' | 'Settings' | 'Assets'>;

/** The model's limit on a style's assets, which merged updates must keep to as well. */
const MAX_ASSETS = 40;

const notFound = (id: string) => resourceNotFound(`Managed login branding ${id} does not exist.`);

/** ManagedLoginBrandingType as the operations answer it. */
export const describeBranding = (document: BrandingDocument): Wire<ManagedLoginBrandingType> => ({
  ManagedLoginBrandingId: document.key,
  UserPoolId: document.poolId,
  UseCognitoProvidedValues: document.body.useCognitoProvidedValues,
  ...(document.body.settings !== undefined && { Settings: document.body.settings as Wire<ManagedLoginBrandingType>['Settings'] }),
  Assets: document.body.assets,
  CreationDate: toEpochSeconds(document.createdAt),
  LastModifiedDate: toEpochSeconds(document.updatedAt),
});

/**
 * Managed login branding styles: the Settings document and image assets of the branding editor, one
 * style per app client. Gatehouse keeps them as sent; it does not hold Cognito's default style, so a
 * style that uses the defaults has no Settings and no Assets.
 */
export class ManagedLoginBrandings {
  constructor(
    private readonly storage: Storage,
    private readonly pools: UserPools,
    private readonly clients: AppClients,
    private readonly clock: Clock,
  ) {}

  async create(input: Wire<CreateManagedLoginBrandingRequest>): Promise<BrandingDocument> {
    const client = await this.clients.get(input.UserPoolId!, input.ClientId!);
    const now = this.clock.now();
    const document: BrandingDocument = {
      poolId: client.poolId,
      kind: 'managed-login-branding',
      key: randomUUID(),
      body: bodyAfter({ clientId: client.clientId, useCognitoProvidedValues: false, assets: [] }, input),
      createdAt: now,
      updatedAt: now,
      version: 0,
    };
    await insertAlone(
      this.storage.poolDocuments,
      document,
      async () => (await this.ofPool(client.poolId)).filter((other) => other.body.clientId === client.clientId),
      () => new CognitoError('ManagedLoginBrandingExistsException', `A managed login branding style already exists for app client ${client.clientId}.`),
    );
    return document;
  }

  async get(poolId: string, id: string): Promise<BrandingDocument> {
    const pool = await this.pools.get(poolId);
    const document = await this.storage.poolDocuments.get<BrandingBody>(pool.id, 'managed-login-branding', id);
    if (!document) throw notFound(id);
    return document;
  }

  async forClient(poolId: string, clientId: string): Promise<BrandingDocument> {
    const client = await this.clients.get(poolId, clientId);
    const document = (await this.ofPool(client.poolId)).find((candidate) => candidate.body.clientId === client.clientId);
    if (!document) throw resourceNotFound(`App client ${client.clientId} has no managed login branding style.`);
    return document;
  }

  /**
   * Cognito keeps what an update does not mention, so that a style too large for one request can be
   * sent in several: Settings merge into the stored document, Assets replace the stored asset of the
   * same category and color mode. UseCognitoProvidedValues returns the style to the defaults.
   */
  async update(input: Wire<UpdateManagedLoginBrandingRequest>): Promise<BrandingDocument> {
    if (input.UserPoolId === undefined || input.ManagedLoginBrandingId === undefined) {
      throw invalidParameter('UserPoolId and ManagedLoginBrandingId are required.');
    }
    const current = await this.get(input.UserPoolId, input.ManagedLoginBrandingId);
    return updateVersioned(
      async (round) => (round === 0 ? current : await this.get(current.poolId, current.key)),
      (stored) => ({ ...stored, body: bodyAfter(stored.body, input), updatedAt: this.clock.now() }),
      (next) => this.storage.poolDocuments.update(next),
    );
  }

  async delete(poolId: string, id: string): Promise<void> {
    const pool = await this.pools.get(poolId);
    if (!(await this.storage.poolDocuments.delete(pool.id, 'managed-login-branding', id))) throw notFound(id);
  }

  private ofPool(poolId: string): Promise<BrandingDocument[]> {
    return allDocuments<BrandingBody>(this.storage.poolDocuments, poolId, 'managed-login-branding');
  }
}

function bodyAfter(stored: BrandingBody, input: BrandingInput): BrandingBody {
  if (input.UseCognitoProvidedValues) {
    if (input.Settings !== undefined || input.Assets !== undefined) {
      throw invalidParameter('Settings and Assets must be omitted when UseCognitoProvidedValues is true.');
    }
    return { clientId: stored.clientId, useCognitoProvidedValues: true, assets: [] };
  }
  const assets = input.Assets === undefined ? stored.assets : mergeAssets(stored.assets, input.Assets);
  if (assets.length > MAX_ASSETS) throw invalidParameter(`A branding style can have at most ${MAX_ASSETS} assets.`);
  return {
    clientId: stored.clientId,
    useCognitoProvidedValues: false,
    ...(input.Settings !== undefined ? { settings: mergeSettings(stored.settings, input.Settings) } : stored.settings !== undefined && { settings: stored.settings }),
    assets,
  };
}

const assetSlot = (asset: Asset) => `${asset.Category}/${asset.ColorMode}`;

function mergeAssets(stored: Asset[], sent: Asset[]): Asset[] {
  const merged = new Map(stored.map((asset) => [assetSlot(asset), asset]));
  for (const asset of sent) merged.set(assetSlot(asset), asset);
  return [...merged.values()];
}

const isPlainObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Objects merge member by member, at every depth; anything else (lists included) is replaced by what
 * was sent. Members are read as own properties and written by fromEntries, so a member named
 * `__proto__` stays data.
 */
function mergeSettings(stored: unknown, sent: unknown): unknown {
  if (!isPlainObject(stored) || !isPlainObject(sent)) return sent;
  const own = (object: Record<string, unknown>, name: string) => (Object.hasOwn(object, name) ? object[name] : undefined);
  const names = new Set([...Object.keys(stored), ...Object.keys(sent)]);
  return Object.fromEntries([...names].map((name) => [name, Object.hasOwn(sent, name) ? mergeSettings(own(stored, name), sent[name]) : stored[name]]));
}
