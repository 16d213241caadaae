import type { AliasKey, UserRecord } from '../../storage/types.js';
import { CognitoError } from '../errors.js';

/**
 * A user's identities at external providers, as Cognito keeps them: the `identities` attribute, a
 * JSON array shown by AdminGetUser and carried (parsed) in the ID token. A federated user holds its
 * own; a native user holds those AdminLinkProviderForUser linked to it. Each is also a unique alias
 * of its holder, so one external identity signs in as exactly one user, on every node.
 */
export interface LinkedIdentity {
  userId: string;
  providerName: string;
  providerType: string;
  issuer: string | null;
  /** "true" for a federated user's own identity; strings, as in Cognito's tokens. */
  primary: string;
  /** Epoch milliseconds, as a string. */
  dateCreated: string;
}

/**
 * A link made by a SAML attribute other than the subject (AdminLinkProviderForUser with, say,
 * `email`): it waits in the user's settings until that identity first signs in, when it becomes an
 * ordinary identity keyed by the subject.
 */
export interface PendingLink {
  providerName: string;
  attributeName: string;
  value: string;
}

export const IDENTITIES_ATTRIBUTE = 'identities';
/** What AdminLinkProviderForUser and AdminDisableProviderForUser call the provider's own user id. */
export const SUBJECT_ATTRIBUTE = 'Cognito_Subject';
/** The kind of the unique alias an identity holds (how a clash over it is told from others). */
export const IDENTITY_ALIAS_KIND = 'identity';

export function identitiesOf(user: Pick<UserRecord, 'attributes'>): LinkedIdentity[] {
  const text = user.attributes[IDENTITIES_ATTRIBUTE];
  if (!text) return [];
  try {
    const parsed = JSON.parse(text) as unknown;
    return Array.isArray(parsed) ? (parsed as LinkedIdentity[]) : [];
  } catch {
    return [];
  }
}

export const pendingLinksOf = (user: Pick<UserRecord, 'settings'>): PendingLink[] => (user.settings.pendingLinks as PendingLink[] | undefined) ?? [];

/** The attributes with `identities` set to these (or removed when there are none). */
export function withIdentities(attributes: Record<string, string>, identities: LinkedIdentity[]): Record<string, string> {
  const { [IDENTITIES_ATTRIBUTE]: _old, ...rest } = attributes;
  return identities.length > 0 ? { ...rest, [IDENTITIES_ATTRIBUTE]: JSON.stringify(identities) } : rest;
}

/** The alias that finds the user an identity signs in as: by subject, or by a pending link's attribute. */
export function identityAlias(providerName: string, userId: string, attributeName = SUBJECT_ATTRIBUTE): AliasKey {
  // JSON keeps the parts apart whatever characters provider names and subjects hold.
  return { kind: IDENTITY_ALIAS_KIND, key: JSON.stringify(attributeName === SUBJECT_ATTRIBUTE ? [providerName, userId] : [providerName, attributeName, userId]) };
}

/** Every identity alias a user holds. */
export function identityAliasesOf(user: Pick<UserRecord, 'attributes' | 'settings'>): AliasKey[] {
  return [
    ...identitiesOf(user).map((identity) => identityAlias(identity.providerName, identity.userId)),
    ...pendingLinksOf(user).map((link) => identityAlias(link.providerName, link.value, link.attributeName)),
  ];
}

export const identityTaken = () => new CognitoError('AliasExistsException', 'The external identity already signs in as another user.');

/** The `identities` claim: the attribute parsed, as Cognito's ID tokens carry it. */
export const identitiesClaim = (user: Pick<UserRecord, 'attributes'>): LinkedIdentity[] | undefined => {
  const identities = identitiesOf(user);
  return identities.length > 0 ? identities : undefined;
};
