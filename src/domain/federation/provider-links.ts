import type { ProviderUserIdentifierType } from '@aws-sdk/client-cognito-identity-provider';
import type { Clock } from '../../clock.js';
import type { Storage, UserRecord } from '../../storage/types.js';
import { CognitoError, invalidParameter } from '../errors.js';
import { userNotFound, type PoolContext, type Users } from '../users/users.js';
import { identityOf } from './federated-users.js';
import type { IdentityProviders } from './identity-providers.js';
import { identitiesOf, identityAlias, pendingLinksOf, SUBJECT_ATTRIBUTE, withIdentities } from './linked-identities.js';

/** Cognito's limit of external identities linked to one user. */
const MAX_LINKS = 5;
/** How links name the pool's own users. */
const NATIVE = 'cognito';

/**
 * AdminLinkProviderForUser and AdminDisableProviderForUser: an external identity that has not signed
 * in yet is made to sign in as an existing user, and such a link (or a provider's own user) undone.
 */
export class ProviderLinks {
  constructor(
    private readonly storage: Storage,
    private readonly users: Users,
    private readonly providers: IdentityProviders,
    private readonly clock: Clock,
  ) {}

  async link(poolId: string, destination: ProviderUserIdentifierType, source: ProviderUserIdentifierType): Promise<void> {
    const context = await this.users.poolContext(poolId);
    const target = await this.destinationOf(context, destination);
    const { provider, attributeName, value } = await this.sourceOf(context, source);
    const taken =
      (await this.storage.users.getByAlias(context.pool.id, identityAlias(provider.name, value, attributeName))) ??
      (await this.storage.users.getByUsername(context.pool.id, context.names.key(`${provider.name}_${value}`)));
    if (taken) throw invalidParameter('Merging is not currently supported, provide a SourceUser that has not been linked or signed in before');
    await this.users.update(context, target, (current) => {
      if (identitiesOf(current).length + pendingLinksOf(current).length >= MAX_LINKS) {
        throw new CognitoError('LimitExceededException', `A user can be linked to at most ${MAX_LINKS} external identities.`);
      }
      if (attributeName !== SUBJECT_ATTRIBUTE) {
        return { ...current, settings: { ...current.settings, pendingLinks: [...pendingLinksOf(current), { providerName: provider.name, attributeName, value }] } };
      }
      return { ...current, attributes: withIdentities(current.attributes, [...identitiesOf(current), identityOf(provider, value, 'false', this.clock.now())]) };
    });
  }

  /**
   * Undoes a link (the identity will sign in as a user of its own again); a provider's own user is
   * disabled; the pool's own user (`Cognito`) loses its password, so only its links sign it in.
   */
  async disable(poolId: string, identifier: ProviderUserIdentifierType): Promise<void> {
    const context = await this.users.poolContext(poolId);
    const providerName = identifier.ProviderName ?? '';
    const value = identifier.ProviderAttributeValue ?? '';
    if (providerName.toLowerCase() === NATIVE) {
      const user = await this.users.find(context, value);
      if (!user) throw userNotFound();
      await this.users.update(context, user, (current) => ({ ...current, passwordHash: null, srpVerifier: null }));
      return;
    }
    await this.providers.get(context.pool.id, providerName);
    const attributeName = identifier.ProviderAttributeName ?? SUBJECT_ATTRIBUTE;
    const holder =
      (await this.storage.users.getByAlias(context.pool.id, identityAlias(providerName, value, attributeName))) ??
      (await this.storage.users.getByUsername(context.pool.id, context.names.key(`${providerName}_${value}`)));
    if (!holder) throw userNotFound();
    await this.users.update(context, holder, (current) => {
      if (current.username === `${providerName}_${value}`) return current.enabled ? { ...current, enabled: false } : undefined;
      const identities = identitiesOf(current).filter((identity) => !(identity.providerName === providerName && identity.userId === value));
      const pendingLinks = pendingLinksOf(current).filter((link) => !(link.providerName === providerName && link.attributeName === attributeName && link.value === value));
      return { ...current, attributes: withIdentities(current.attributes, identities), settings: { ...current.settings, pendingLinks } };
    });
  }

  /** The pool's own user (`Cognito`, by username) or a provider's user (by its subject) that the identity will sign in as. */
  private async destinationOf(context: PoolContext, destination: ProviderUserIdentifierType): Promise<UserRecord> {
    const providerName = destination.ProviderName ?? '';
    const value = destination.ProviderAttributeValue ?? '';
    const user =
      providerName.toLowerCase() === NATIVE
        ? await this.users.find(context, value)
        : await this.storage.users.getByUsername(context.pool.id, context.names.key(`${providerName}_${value}`));
    if (!user) throw userNotFound();
    return user;
  }

  /** The identity to link: a provider of the pool, by its subject (Cognito_Subject) or, for SAML, any of its attributes. */
  private async sourceOf(context: PoolContext, source: ProviderUserIdentifierType) {
    const providerName = source.ProviderName ?? '';
    if (providerName.toLowerCase() === NATIVE) throw invalidParameter('The SourceUser must be a user of an external identity provider.');
    const document = await this.providers.get(context.pool.id, providerName).catch(() => {
      throw invalidParameter(`The identity provider ${providerName} does not exist in the user pool.`);
    });
    const attributeName = source.ProviderAttributeName ?? SUBJECT_ATTRIBUTE;
    if (attributeName !== SUBJECT_ATTRIBUTE && document.body.ProviderType !== 'SAML') {
      throw invalidParameter(`ProviderAttributeName must be ${SUBJECT_ATTRIBUTE} for ${document.body.ProviderType} identity providers.`);
    }
    const value = source.ProviderAttributeValue;
    if (!value) throw invalidParameter('SourceUser.ProviderAttributeValue is required.');
    return { provider: { name: document.key, type: document.body.ProviderType }, attributeName, value };
  }
}
