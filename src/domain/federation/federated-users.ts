import { randomUUID } from 'node:crypto';
import type { SchemaAttributeType } from '@aws-sdk/client-cognito-identity-provider';
import type { Clock } from '../../clock.js';
import type { Storage, UserRecord } from '../../storage/types.js';
import { CognitoError, notAuthorized } from '../errors.js';
import type { Groups } from '../groups/groups.js';
import type { Caller } from '../triggers/caller.js';
import type { UserTriggers } from '../triggers/user-triggers.js';
import type { PoolContext, Users } from '../users/users.js';
import type { IdentityProvider } from './identity-providers.js';
import { identitiesOf, identityAlias, pendingLinksOf, withIdentities, type LinkedIdentity } from './linked-identities.js';
import { defaultSubjectAttribute } from './provider-details.js';

/** Cognito's longest attribute value. */
const MAX_VALUE_LENGTH = 2048;

/** What a provider said about the user who just signed in there, checked by the protocol layer. */
export interface ExternalSignIn {
  /** The provider's attributes: the ID token's and userinfo's claims, the profile, or the SAML attributes. */
  claims: Record<string, unknown>;
  /** The SAML NameID (the subject of a SAML sign-in unless the mapping names the username otherwise). */
  nameId?: string;
  /** The SAML issuer, recorded in the identity. */
  issuer?: string;
  /** What the InboundFederation trigger is shown. */
  evidence: { tokenResponse?: Record<string, unknown>; idToken?: Record<string, unknown>; userInfo?: Record<string, unknown>; samlResponse?: Record<string, unknown> };
}

/**
 * The users federation makes, as Cognito makes them: the first sign-in through a provider creates
 * `<ProviderName>_<subject>` in EXTERNAL_PROVIDER with the mapped attributes and the `identities`
 * attribute, in the automatic `<poolId>_<ProviderName>` group; later sign-ins update the mapped
 * attributes; an identity linked to another user (AdminLinkProviderForUser) signs in as that user.
 */
export class FederatedUsers {
  constructor(
    private readonly storage: Storage,
    private readonly users: Users,
    private readonly groups: Groups,
    private readonly triggers: UserTriggers,
    private readonly clock: Clock,
  ) {}

  /** The user a provider's sign-in stands for, created or brought up to date. */
  async signIn(provider: IdentityProvider, external: ExternalSignIn, caller: Caller): Promise<UserRecord> {
    const context = await this.users.poolContext(provider.poolId);
    const subject = subjectOf(provider, external);
    const claims = (await this.triggers.inboundFederation(context.pool, provider, `${provider.name}_${subject}`, external.evidence, caller)) ?? external.claims;
    const attributes = mapAttributes(provider.attributeMapping, claims, context.settings.SchemaAttributes ?? []);
    const existing = (await this.holderOf(context, provider, subject, claims)) ?? (await this.storage.users.getByUsername(context.pool.id, context.names.key(`${provider.name}_${subject}`)));
    const user = existing ? await this.refresh(context, existing, provider, subject, attributes) : await this.create(context, provider, subject, attributes, external, caller);
    if (!user.enabled) throw notAuthorized('User is disabled.');
    return user;
  }

  /** The user an identity signs in as: by its subject, else by a link made on one of its SAML attributes. */
  private async holderOf(context: PoolContext, provider: IdentityProvider, subject: string, claims: Record<string, unknown>): Promise<UserRecord | undefined> {
    const bySubject = await this.storage.users.getByAlias(context.pool.id, identityAlias(provider.name, subject));
    if (bySubject || provider.type !== 'SAML') return bySubject;
    for (const [name, value] of Object.entries(claims)) {
      for (const single of [value].flat()) {
        if (typeof single !== 'string') continue;
        const linked = await this.storage.users.getByAlias(context.pool.id, identityAlias(provider.name, single, name));
        if (linked) return linked;
      }
    }
    return undefined;
  }

  /**
   * A returning identity: a federated user's mapped attributes are written again; a native user an
   * identity was linked to keeps its own (only a link waiting on a SAML attribute becomes one on the subject).
   */
  private async refresh(context: PoolContext, user: UserRecord, provider: IdentityProvider, subject: string, attributes: Record<string, string>): Promise<UserRecord> {
    const schema = context.settings.SchemaAttributes ?? [];
    return this.users.update(context, user, (current) => {
      const pending = pendingLinksOf(current).filter((link) => link.providerName === provider.name);
      const known = identitiesOf(current).some((identity) => identity.providerName === provider.name && identity.userId === subject);
      const changed = current.status === 'EXTERNAL_PROVIDER' ? changedAttributes(current.attributes, attributes, schema) : {};
      if (known && pending.length === 0 && Object.keys(changed).length === 0) return undefined;
      let identities = identitiesOf(current);
      if (!known) identities = [...identities, identityOf(provider, subject, 'false', this.clock.now())];
      return {
        ...current,
        attributes: withIdentities({ ...current.attributes, ...changed }, identities),
        settings: { ...current.settings, pendingLinks: pendingLinksOf(current).filter((link) => !pending.includes(link)) },
      };
    });
  }

  private async create(context: PoolContext, provider: IdentityProvider, subject: string, mapped: Record<string, string>, external: ExternalSignIn, caller: Caller): Promise<UserRecord> {
    const username = `${provider.name}_${subject}`;
    const decision = await this.triggers.preSignUp(context.pool, 'ExternalProvider', { username, attributes: mapped }, caller, null);
    const attributes = { ...mapped };
    if (decision.autoVerifyEmail && attributes.email) attributes.email_verified = 'true';
    if (decision.autoVerifyPhone && attributes.phone_number) attributes.phone_number_verified = 'true';
    checkRequired(attributes, context.settings.SchemaAttributes ?? []);
    const now = this.clock.now();
    const identity = { ...identityOf(provider, subject, 'true', now), issuer: external.issuer ?? null };
    const user: UserRecord = {
      poolId: context.pool.id,
      sub: randomUUID(),
      username,
      usernameKey: context.names.key(username),
      status: 'EXTERNAL_PROVIDER',
      enabled: true,
      passwordHash: null,
      passwordExpiresAt: null,
      srpVerifier: null,
      attributes: withIdentities(attributes, [identity]),
      settings: {},
      createdAt: now,
      updatedAt: now,
      version: 0,
    };
    try {
      await this.users.insertRecord(context, user);
    } catch (error) {
      // The same identity's first sign-in on another request won: this one signs in as the user it made.
      if (error instanceof CognitoError && (error.type === 'UsernameExistsException' || error.type === 'AliasExistsException')) {
        const winner = await this.storage.users.getByAlias(context.pool.id, identityAlias(provider.name, subject));
        if (winner) return winner;
      }
      throw error;
    }
    await this.groups.addToProviderGroup(context.pool.id, provider.name, user);
    await this.triggers.postConfirmation(context.pool, 'ConfirmSignUp', user, caller);
    return user;
  }
}

/** The provider's name for the user: the mapped username attribute, or the type's subject, or the SAML NameID. */
function subjectOf(provider: IdentityProvider, external: ExternalSignIn): string {
  const attribute = provider.attributeMapping.username ?? defaultSubjectAttribute(provider.type);
  const value = attribute !== undefined ? stringOf(external.claims[attribute]) : undefined;
  const subject = value ?? external.nameId;
  if (!subject) throw new CognitoError('InvalidParameterException', `The identity provider ${provider.name} did not name the user (${attribute ?? 'NameID'}).`);
  return subject;
}

export function identityOf(provider: Pick<IdentityProvider, 'name' | 'type'>, userId: string, primary: string, now: number): LinkedIdentity {
  return { userId, providerName: provider.name, providerType: provider.type, issuer: null, primary, dateCreated: String(now) };
}

/** Pool attributes from the provider's, by the mapping; values as Cognito stores them: strings, lists joined by commas. */
export function mapAttributes(mapping: Record<string, string>, claims: Record<string, unknown>, schema: SchemaAttributeType[]): Record<string, string> {
  const known = new Set(schema.map((attribute) => attribute.Name));
  const attributes: Record<string, string> = {};
  for (const [poolAttribute, providerAttribute] of Object.entries(mapping)) {
    if (poolAttribute === 'username' || !known.has(poolAttribute)) continue;
    const value = stringOf(claims[providerAttribute]);
    if (value !== undefined) attributes[poolAttribute] = value.slice(0, MAX_VALUE_LENGTH);
  }
  return attributes;
}

function stringOf(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (Array.isArray(value)) return value.length > 0 ? value.map((item) => stringOf(item) ?? '').join(',') : undefined;
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** The mapped values that differ from what the user has, leaving the attributes that cannot change. */
function changedAttributes(current: Record<string, string>, mapped: Record<string, string>, schema: SchemaAttributeType[]): Record<string, string> {
  const immutable = new Set(schema.filter((attribute) => attribute.Mutable === false).map((attribute) => attribute.Name));
  return Object.fromEntries(Object.entries(mapped).filter(([name, value]) => current[name] !== value && !immutable.has(name)));
}

/** A pool's required attributes must come from the provider: Cognito refuses the sign-up otherwise. */
function checkRequired(attributes: Record<string, string>, schema: SchemaAttributeType[]): void {
  const missing = schema.filter((attribute) => attribute.Required && attribute.Name !== 'sub' && !attributes[attribute.Name!]).map((attribute) => attribute.Name!);
  if (missing.length > 0) throw new CognitoError('InvalidParameterException', `Invalid user attributes: ${missing.map((name) => `${name}: The attribute ${name} is required`).join(', ')}`);
}

