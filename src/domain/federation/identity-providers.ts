import type { CreateIdentityProviderRequest, IdentityProviderType, IdentityProviderTypeType, ProviderDescription, UpdateIdentityProviderRequest } from '@aws-sdk/client-cognito-identity-provider';
import { toEpochSeconds, type Clock } from '../../clock.js';
import type { GatehouseConfig } from '../../config.js';
import type { Page, PoolDocumentRecord, Storage } from '../../storage/types.js';
import { CognitoError, invalidParameter, resourceNotFound } from '../errors.js';
import type { SecretBox } from '../keys/secret-box.js';
import { NamedDocuments } from '../managed-login/documents.js';
import { updateVersioned } from '../optimistic.js';
import type { UserPools } from '../pools/user-pools.js';
import type { Wire } from '../wire.js';
import { checkDetails, defaultSubjectAttribute, describedDetails, SECRET_KEYS, type Details } from './provider-details.js';
import { MetadataError } from './saml/saml-errors.js';
import type { SamlKeyPair } from './saml/saml-keys.js';
import { loadSaml } from './saml/saml-loader.js';
import type { IdpMetadata } from './saml/saml-metadata.js';
import { certificateBody } from './saml/saml-pem.js';

/** Cognito's quota of identity providers per pool. */
const MAX_PER_POOL = 300;
/** How long a fetched SAML metadata document is trusted before it is fetched again (Cognito: six hours). */
const METADATA_REFRESH_MS = 6 * 3_600_000;
const METADATA_FETCH_TIMEOUT_MS = 10_000;
/** Names that stand for the pool's own users (the `COGNITO` of SupportedIdentityProviders and links). */
const RESERVED_NAMES = new Set(['cognito']);

/** What is stored of a provider; secrets sealed with the server key. */
export interface IdentityProviderBody {
  ProviderType: IdentityProviderTypeType;
  details: Details;
  AttributeMapping: Record<string, string>;
  IdpIdentifiers: string[];
  saml?: {
    metadata: IdpMetadata;
    fetchedAt: number;
    /** With EncryptedResponses: the key assertions are encrypted to (ActiveEncryptionCertificate). */
    encryption?: { certificatePem: string; privateKeySealed: string };
  };
}

/** A provider as sign-in uses it: secrets open. */
export interface IdentityProvider {
  poolId: string;
  name: string;
  type: IdentityProviderTypeType;
  details: Details;
  attributeMapping: Record<string, string>;
  identifiers: string[];
  saml?: { metadata: IdpMetadata; encryption?: SamlKeyPair };
}

type ProviderInput = Pick<CreateIdentityProviderRequest, 'UserPoolId' | 'ProviderName' | 'ProviderDetails' | 'AttributeMapping' | 'IdpIdentifiers'> & { ProviderType?: IdentityProviderTypeType };

const notFound = (name: string) => resourceNotFound(`Identity provider ${name} does not exist.`);
/** What a provider's secret is sealed under: its pool, its name and which secret it is. */
export const providerSecretContext = (poolId: string, name: string, key: string) => `identity-provider:${poolId}:${name}:${key}`;

/**
 * The pool's external identity providers: OIDC, SAML and the social ones, each with the details to
 * reach it, the mapping of its attributes onto the pool's, and the identifiers (email domains) that
 * route a user to it.
 */
export class IdentityProviders {
  private readonly documents: NamedDocuments<IdentityProviderBody>;

  constructor(
    private readonly storage: Storage,
    private readonly pools: UserPools,
    private readonly secretBox: SecretBox,
    private readonly clock: Clock,
    private readonly config: Pick<GatehouseConfig, 'federation'>,
  ) {
    this.documents = new NamedDocuments(storage.poolDocuments, pools, 'identity-provider', { taken: duplicate, missing: notFound });
  }

  async create(input: ProviderInput): Promise<PoolDocumentRecord<IdentityProviderBody>> {
    const pool = await this.pools.get(input.UserPoolId!);
    const name = input.ProviderName!;
    const type = input.ProviderType!;
    checkName(name, type);
    const existing = await this.documents.all(pool.id);
    if (existing.some((document) => document.key === name)) throw duplicate(name);
    // Checked before the insert, so nodes racing at the limit may pass it by one; the quota is about size, not security.
    if (existing.length >= MAX_PER_POOL) throw new CognitoError('LimitExceededException', `The user pool has reached its limit of ${MAX_PER_POOL} identity providers.`);
    const identifiers = checkIdentifiers(input.IdpIdentifiers ?? [], existing, name);
    const now = this.clock.now();
    const document: PoolDocumentRecord<IdentityProviderBody> = {
      poolId: pool.id,
      kind: 'identity-provider',
      key: name,
      body: await this.bodyOf(pool.id, name, type, input.ProviderDetails ?? {}, mappingOf(type, input.AttributeMapping, pool.settings.SchemaAttributes ?? []), identifiers),
      createdAt: now,
      updatedAt: now,
      version: 0,
    };
    await this.documents.insert(document);
    return document;
  }

  get(poolId: string, name: string): Promise<PoolDocumentRecord<IdentityProviderBody>> {
    return this.documents.get(poolId, name);
  }

  list(poolId: string, limit: number, after?: string): Promise<Page<PoolDocumentRecord<IdentityProviderBody>>> {
    return this.documents.list(poolId, limit, after);
  }

  /** GetIdentityProviderByIdentifier: identifiers are unique in a pool, compared as given. */
  async byIdentifier(poolId: string, identifier: string): Promise<PoolDocumentRecord<IdentityProviderBody>> {
    const pool = await this.pools.get(poolId);
    const all = await this.documents.all(pool.id);
    const found = all.find((document) => document.body.IdpIdentifiers.includes(identifier));
    if (!found) throw resourceNotFound(`Identity provider with identifier ${identifier} does not exist.`);
    return found;
  }

  /** Details given replace the old ones (a secret not given again is kept); mapping and identifiers replace theirs when given. */
  async update(input: UpdateIdentityProviderRequest): Promise<PoolDocumentRecord<IdentityProviderBody>> {
    const current = await this.get(input.UserPoolId!, input.ProviderName!);
    const pool = await this.pools.get(current.poolId);
    const all = await this.documents.all(pool.id);
    const identifiers = input.IdpIdentifiers ? checkIdentifiers(input.IdpIdentifiers, all, current.key) : undefined;
    const type = current.body.ProviderType;
    const mapping = input.AttributeMapping ? mappingOf(type, input.AttributeMapping, pool.settings.SchemaAttributes ?? []) : undefined;
    const details = input.ProviderDetails ? { ...this.openSecrets(current), ...input.ProviderDetails } : undefined;
    const rebuilt = details ? await this.bodyOf(pool.id, current.key, type, details, mapping ?? current.body.AttributeMapping, identifiers ?? current.body.IdpIdentifiers, current.body.saml?.encryption) : undefined;
    return updateVersioned(
      async (round) => (round === 0 ? current : await this.get(current.poolId, current.key)),
      (stored) => ({
        ...stored,
        body: rebuilt ?? { ...stored.body, ...(mapping && { AttributeMapping: mapping }), ...(identifiers && { IdpIdentifiers: identifiers }) },
        updatedAt: this.clock.now(),
      }),
      (next) => this.storage.poolDocuments.update(next),
    );
  }

  delete(poolId: string, name: string): Promise<void> {
    return this.documents.delete(poolId, name);
  }

  /** IdentityProviderType as the operations answer it. */
  describe(document: PoolDocumentRecord<IdentityProviderBody>): Wire<IdentityProviderType> {
    const { body } = document;
    const extra: Details = {};
    if (body.saml) {
      if (body.saml.metadata.ssoRedirectUrl) extra.SSORedirectBindingURI = body.saml.metadata.ssoRedirectUrl;
      if (body.saml.metadata.sloRedirectUrl) extra.SLORedirectBindingURI = body.saml.metadata.sloRedirectUrl;
      if (body.saml.encryption) extra.ActiveEncryptionCertificate = certificateBody(body.saml.encryption.certificatePem);
    }
    return {
      UserPoolId: document.poolId,
      ProviderName: document.key,
      ProviderType: body.ProviderType,
      ProviderDetails: describedDetails(body.ProviderType, this.openSecrets(document), this.config, extra),
      AttributeMapping: body.AttributeMapping,
      IdpIdentifiers: body.IdpIdentifiers,
      LastModifiedDate: toEpochSeconds(document.updatedAt),
      CreationDate: toEpochSeconds(document.createdAt),
    };
  }

  /** ProviderDescription, as ListIdentityProviders answers it. */
  summarize(document: PoolDocumentRecord<IdentityProviderBody>): Wire<ProviderDescription> {
    return { ProviderName: document.key, ProviderType: document.body.ProviderType, LastModifiedDate: toEpochSeconds(document.updatedAt), CreationDate: toEpochSeconds(document.createdAt) };
  }

  /**
   * The provider as a sign-in uses it, secrets open; SAML metadata from a URL is fetched again once
   * it is six hours old (a failed fetch keeps the old copy: the provider keeps working).
   */
  async forSignIn(poolId: string, name: string): Promise<IdentityProvider | undefined> {
    let document = await this.storage.poolDocuments.get<IdentityProviderBody>(poolId, 'identity-provider', name);
    if (!document) return undefined;
    if (document.body.saml && document.body.details.MetadataURL && this.clock.now() - document.body.saml.fetchedAt > METADATA_REFRESH_MS) {
      document = await this.refreshMetadata(document).catch(() => document!);
    }
    const { body } = document;
    const encryption = body.saml?.encryption && { certificatePem: body.saml.encryption.certificatePem, privateKeyPem: this.secretBox.open(body.saml.encryption.privateKeySealed, providerSecretContext(poolId, name, 'encryption')) };
    return {
      poolId,
      name,
      type: body.ProviderType,
      details: this.openSecrets(document),
      attributeMapping: body.AttributeMapping,
      identifiers: body.IdpIdentifiers,
      ...(body.saml && { saml: { metadata: body.saml.metadata, ...(encryption && { encryption }) } }),
    };
  }

  /** Every provider of the pool, for the login page's buttons and its email-domain routing. */
  all(poolId: string): Promise<PoolDocumentRecord<IdentityProviderBody>[]> {
    return this.documents.all(poolId);
  }

  private async refreshMetadata(document: PoolDocumentRecord<IdentityProviderBody>): Promise<PoolDocumentRecord<IdentityProviderBody>> {
    const metadata = (await loadSaml()).parseIdpMetadata(await fetchMetadata(document.body.details.MetadataURL!));
    return updateVersioned(
      async (round) => (round === 0 ? document : await this.get(document.poolId, document.key)),
      (stored) => ({ ...stored, body: { ...stored.body, saml: { ...stored.body.saml!, metadata, fetchedAt: this.clock.now() } } }),
      (next) => this.storage.poolDocuments.update(next),
    );
  }

  private async bodyOf(
    poolId: string,
    name: string,
    type: IdentityProviderTypeType,
    given: Details,
    mapping: Record<string, string>,
    identifiers: string[],
    encryption?: NonNullable<IdentityProviderBody['saml']>['encryption'],
  ): Promise<IdentityProviderBody> {
    const details = checkDetails(type, given);
    const body: IdentityProviderBody = { ProviderType: type, details: this.sealSecrets(poolId, name, details), AttributeMapping: mapping, IdpIdentifiers: identifiers };
    if (type === 'SAML') body.saml = await this.samlPart(poolId, name, details, encryption);
    return body;
  }

  /** The IdP's metadata, read now so a broken document is refused at once; and the encryption key when asked for. */
  private async samlPart(poolId: string, name: string, details: Details, encryption?: NonNullable<IdentityProviderBody['saml']>['encryption']): Promise<NonNullable<IdentityProviderBody['saml']>> {
    let metadata: IdpMetadata;
    try {
      metadata = (await loadSaml()).parseIdpMetadata(details.MetadataFile ?? (await fetchMetadata(details.MetadataURL!)));
    } catch (error) {
      if (error instanceof MetadataError || error instanceof MetadataFetchError) throw invalidParameter((error as Error).message);
      throw error;
    }
    const part: NonNullable<IdentityProviderBody['saml']> = { metadata, fetchedAt: this.clock.now() };
    if (details.EncryptedResponses === 'true') {
      if (encryption) part.encryption = encryption;
      else {
        const keys = await (await loadSaml()).createSamlKeyPair(`${poolId} ${name}`, new Date(this.clock.now()));
        part.encryption = { certificatePem: keys.certificatePem, privateKeySealed: this.secretBox.seal(keys.privateKeyPem, providerSecretContext(poolId, name, 'encryption')) };
      }
    }
    return part;
  }

  private sealSecrets(poolId: string, name: string, details: Details): Details {
    const sealed = { ...details };
    for (const key of SECRET_KEYS) if (sealed[key] !== undefined) sealed[key] = this.secretBox.seal(sealed[key]!, providerSecretContext(poolId, name, key));
    return sealed;
  }

  private openSecrets(document: PoolDocumentRecord<IdentityProviderBody>): Details {
    const open = { ...document.body.details };
    for (const key of SECRET_KEYS) if (open[key] !== undefined) open[key] = this.secretBox.open(open[key]!, providerSecretContext(document.poolId, document.key, key));
    return open;
  }
}

class MetadataFetchError extends Error {}

async function fetchMetadata(url: string): Promise<string> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(METADATA_FETCH_TIMEOUT_MS) });
    if (!response.ok) throw new MetadataFetchError(`Could not retrieve the SAML metadata from ${url}: HTTP ${response.status}.`);
    return await response.text();
  } catch (error) {
    if (error instanceof MetadataFetchError) throw error;
    throw new MetadataFetchError(`Could not retrieve the SAML metadata from ${url}: ${(error as Error).message}.`);
  }
}

const duplicate = (name: string) => new CognitoError('DuplicateProviderException', `A provider with the name ${name} already exists in this user pool.`);

/** Social providers go by their type's name; the others may not take a name reserved for the pool's own users or a social provider. */
function checkName(name: string, type: IdentityProviderTypeType): void {
  const social = ['Google', 'Facebook', 'LoginWithAmazon', 'SignInWithApple'];
  if (social.includes(type) && name !== type) throw invalidParameter(`The provider name of a ${type} identity provider must be ${type}.`);
  if (!social.includes(type) && (RESERVED_NAMES.has(name.toLowerCase()) || social.includes(name))) throw invalidParameter(`${name} is a reserved provider name.`);
}

/** Identifiers must differ from each other and from every other provider's in the pool. */
function checkIdentifiers(identifiers: string[], others: PoolDocumentRecord<IdentityProviderBody>[], name: string): string[] {
  if (new Set(identifiers).size !== identifiers.length) throw invalidParameter('IdpIdentifiers must be unique.');
  for (const other of others) {
    if (other.key === name) continue;
    const clash = identifiers.find((identifier) => other.body.IdpIdentifiers.includes(identifier));
    if (clash) throw new CognitoError('DuplicateProviderException', `The identifier ${clash} is already used by the identity provider ${other.key}.`);
  }
  return identifiers;
}

/**
 * The attribute mapping: pool attributes (and `username`) ← provider attributes. Every key must be
 * an attribute of the pool; the username comes from the provider's subject unless mapped otherwise.
 */
function mappingOf(type: IdentityProviderTypeType, given: Record<string, string> | undefined, schema: { Name?: string }[]): Record<string, string> {
  const names = new Set(schema.map((attribute) => attribute.Name));
  const mapping: Record<string, string> = {};
  for (const [key, value] of Object.entries(given ?? {})) {
    if (key === 'sub' || (key !== 'username' && !names.has(key))) throw invalidParameter(`${key} is not an attribute of the user pool that can be mapped.`);
    mapping[key] = value;
  }
  const subject = defaultSubjectAttribute(type);
  if (subject && mapping.username === undefined) mapping.username = subject;
  return mapping;
}
