import type { SetUICustomizationRequest, UICustomizationType } from '@aws-sdk/client-cognito-identity-provider';
import { toEpochSeconds, type Clock } from '../../clock.js';
import type { PoolDocumentRecord, Storage } from '../../storage/types.js';
import type { AppClients } from '../clients/app-clients.js';
import { invalidParameter } from '../errors.js';
import type { UserPools } from '../pools/user-pools.js';
import type { Wire } from '../wire.js';
import { upsertDocument, versionStamp } from './documents.js';
import type { UserPoolDomains } from './domains.js';

/** The key of the pool's own customization, which app clients without one of their own show. */
export const ALL_CLIENTS = 'ALL';

/** Where Gatehouse serves the logos: `<public URL>/ui-assets/<pool>/<client or ALL>/<CSSVersion>/logo`. */
export const UI_ASSETS_PATH = '/ui-assets';

export interface UiCustomizationBody {
  css?: string;
  logo?: Logo;
}

interface Logo {
  base64: string;
  contentType: string;
}

type UiCustomizationDocument = PoolDocumentRecord<UiCustomizationBody>;

/** What the model lets through as ids; anything else cannot have a logo and is not looked up. */
const POOL_ID = /^[\w-]+_[0-9a-zA-Z]+$/;
const CLIENT_ID = /^[\w+]+$/;

/** The hosted UI takes PNG and JPEG logos, told apart by their first bytes. */
const IMAGE_SIGNATURES: ReadonlyArray<{ prefix: number[]; contentType: string }> = [
  { prefix: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], contentType: 'image/png' },
  { prefix: [0xff, 0xd8, 0xff], contentType: 'image/jpeg' },
];

/**
 * The classic hosted UI's customization: CSS and a logo, for one app client or for the whole pool
 * (`ALL`). Cognito keeps them only while the pool has a domain to show them on.
 */
export class UiCustomizations {
  constructor(
    private readonly storage: Storage,
    private readonly pools: UserPools,
    private readonly clients: AppClients,
    private readonly domains: UserPoolDomains,
    private readonly clock: Clock,
    /** Read late, as the server may learn its address only once it listens. */
    private readonly publicUrl: () => string,
  ) {}

  /** SetUICustomization replaces the CSS and the logo together. */
  async set(input: Wire<SetUICustomizationRequest>): Promise<UiCustomizationDocument> {
    const key = await this.checkedKey(input.UserPoolId!, input.ClientId);
    const body: UiCustomizationBody = {
      ...(input.CSS !== undefined && { css: input.CSS }),
      ...logoOf(input.ImageFile),
    };
    return upsertDocument(this.storage.poolDocuments, { poolId: input.UserPoolId!, kind: 'ui-customization', key }, body, this.clock.now());
  }

  /** The client's own customization, else the pool's; undefined when neither is set. */
  async get(poolId: string, clientId: string | undefined): Promise<UiCustomizationDocument | undefined> {
    const key = await this.checkedKey(poolId, clientId);
    const own = await this.storage.poolDocuments.get<UiCustomizationBody>(poolId, 'ui-customization', key);
    if (own || key === ALL_CLIENTS) return own;
    return this.storage.poolDocuments.get<UiCustomizationBody>(poolId, 'ui-customization', ALL_CLIENTS);
  }

  /** The logo the ui-assets route serves, if there is one. */
  async logo(poolId: string, clientId: string): Promise<{ bytes: Buffer; contentType: string } | undefined> {
    if (!POOL_ID.test(poolId) || !CLIENT_ID.test(clientId)) return undefined;
    const logo = (await this.storage.poolDocuments.get<UiCustomizationBody>(poolId, 'ui-customization', clientId))?.body.logo;
    return logo && { bytes: Buffer.from(logo.base64, 'base64'), contentType: logo.contentType };
  }

  /** UICustomizationType; for a pool or client with none, the bare ids, as Cognito answers then. */
  describe(poolId: string, clientId: string | undefined, document: UiCustomizationDocument | undefined): Wire<UICustomizationType> {
    if (!document) return { UserPoolId: poolId, ClientId: clientId ?? ALL_CLIENTS };
    const version = versionStamp(document.updatedAt);
    return {
      UserPoolId: document.poolId,
      ClientId: document.key,
      ...(document.body.logo && { ImageUrl: `${this.publicUrl()}${UI_ASSETS_PATH}/${document.poolId}/${document.key}/${version}/logo` }),
      ...(document.body.css !== undefined && { CSS: document.body.css }),
      CSSVersion: version,
      LastModifiedDate: toEpochSeconds(document.updatedAt),
      CreationDate: toEpochSeconds(document.createdAt),
    };
  }

  /** The document key a request names, once the pool, its domain and the client are known to exist. */
  private async checkedKey(poolId: string, clientId: string | undefined): Promise<string> {
    const pool = await this.pools.get(poolId);
    if (!(await this.domains.hasDomain(pool.id))) throw invalidParameter('There has to be an existing domain associated with this user pool');
    if (clientId === undefined || clientId === ALL_CLIENTS) return ALL_CLIENTS;
    return (await this.clients.get(pool.id, clientId)).clientId;
  }
}

/** An empty ImageFile is no logo. */
function logoOf(imageFile: string | undefined): { logo?: Logo } {
  const bytes = Buffer.from(imageFile ?? '', 'base64');
  if (bytes.length === 0) return {};
  const signature = IMAGE_SIGNATURES.find(({ prefix }) => prefix.every((byte, i) => bytes[i] === byte));
  if (!signature) throw invalidParameter('The image file must be a PNG or JPEG image.');
  return { logo: { base64: bytes.toString('base64'), contentType: signature.contentType } };
}
