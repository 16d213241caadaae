import type { IdentityProviderTypeType } from '@aws-sdk/client-cognito-identity-provider';
import type { GatehouseConfig, SocialEndpointName, SocialProviderType } from '../../config.js';
import { invalidParameter } from '../errors.js';

/**
 * ProviderDetails per provider type, as CreateIdentityProvider takes them and DescribeIdentityProvider
 * shows them: which keys each type needs, which values they may hold, and the endpoints Cognito fills
 * in for the social providers (overridable in the config, so tests and air-gapped installs can point
 * Google & co. elsewhere).
 */

export type Details = Record<string, string>;

/** Keys the caller gives per type; required ones first. */
const KEYS: Record<IdentityProviderTypeType, { required: string[]; optional: string[] }> = {
  OIDC: {
    required: ['client_id', 'authorize_scopes', 'oidc_issuer', 'attributes_request_method'],
    optional: ['client_secret', 'authorize_url', 'token_url', 'attributes_url', 'jwks_uri'],
  },
  Google: { required: ['client_id', 'client_secret', 'authorize_scopes'], optional: [] },
  Facebook: { required: ['client_id', 'client_secret', 'authorize_scopes'], optional: ['api_version'] },
  LoginWithAmazon: { required: ['client_id', 'client_secret', 'authorize_scopes'], optional: [] },
  SignInWithApple: { required: ['client_id', 'team_id', 'key_id', 'private_key', 'authorize_scopes'], optional: [] },
  SAML: { required: [], optional: ['MetadataFile', 'MetadataURL', 'IDPSignout', 'IDPInit', 'EncryptedResponses', 'RequestSigningAlgorithm'] },
};

/** Details that are secrets: sealed at rest, and (the Apple key) never shown again. */
export const SECRET_KEYS = ['client_secret', 'private_key'] as const;
const HIDDEN_KEYS = new Set(['private_key']);

const BOOLEAN_KEYS = ['IDPSignout', 'IDPInit', 'EncryptedResponses'];
const URL_KEYS = ['oidc_issuer', 'authorize_url', 'token_url', 'attributes_url', 'jwks_uri', 'MetadataURL'];

const DEFAULT_FACEBOOK_VERSION = 'v17.0';

/** Where each social provider is, as Cognito's DescribeIdentityProvider reports it. */
function socialDefaults(type: SocialProviderType, details: Details): Partial<Record<SocialEndpointName, string>> & { token_request_method: string; attributes_url_add_attributes: string } {
  switch (type) {
    case 'Google':
      return {
        authorize_url: 'https://accounts.google.com/o/oauth2/v2/auth',
        token_url: 'https://www.googleapis.com/oauth2/v4/token',
        attributes_url: 'https://people.googleapis.com/v1/people/me?personFields=',
        oidc_issuer: 'https://accounts.google.com',
        jwks_uri: 'https://www.googleapis.com/oauth2/v3/certs',
        token_request_method: 'POST',
        attributes_url_add_attributes: 'true',
      };
    case 'Facebook': {
      const version = details.api_version ?? DEFAULT_FACEBOOK_VERSION;
      return {
        authorize_url: `https://www.facebook.com/${version}/dialog/oauth`,
        token_url: `https://graph.facebook.com/${version}/oauth/access_token`,
        attributes_url: `https://graph.facebook.com/${version}/me?fields=`,
        token_request_method: 'GET',
        attributes_url_add_attributes: 'true',
      };
    }
    case 'LoginWithAmazon':
      return {
        authorize_url: 'https://www.amazon.com/ap/oa',
        token_url: 'https://api.amazon.com/auth/o2/token',
        attributes_url: 'https://api.amazon.com/user/profile',
        token_request_method: 'POST',
        attributes_url_add_attributes: 'false',
      };
    case 'SignInWithApple':
      return {
        authorize_url: 'https://appleid.apple.com/auth/authorize',
        token_url: 'https://appleid.apple.com/auth/token',
        oidc_issuer: 'https://appleid.apple.com',
        jwks_uri: 'https://appleid.apple.com/auth/keys',
        token_request_method: 'POST',
        attributes_url_add_attributes: 'false',
      };
  }
}

export const isSocial = (type: IdentityProviderTypeType): type is SocialProviderType => type !== 'OIDC' && type !== 'SAML';

/** The details as given, checked for the type: unknown keys dropped, required ones present, values well formed. */
export function checkDetails(type: IdentityProviderTypeType, given: Details): Details {
  const keys = KEYS[type];
  const details: Details = {};
  for (const key of [...keys.required, ...keys.optional]) if (given[key] !== undefined) details[key] = given[key]!;
  for (const key of keys.required) if (!details[key]?.trim()) throw invalidParameter(`${key} is required for ${type} identity providers.`);
  for (const key of URL_KEYS) if (details[key] !== undefined && !isUrl(details[key]!)) throw invalidParameter(`${key} must be a URL.`);
  for (const key of BOOLEAN_KEYS) if (details[key] !== undefined && !['true', 'false'].includes(details[key]!)) throw invalidParameter(`${key} must be true or false.`);
  if (type === 'OIDC') checkOidc(details);
  if (type === 'SAML') checkSaml(details);
  return details;
}

function checkOidc(details: Details): void {
  if (!['GET', 'POST'].includes(details.attributes_request_method!)) throw invalidParameter('attributes_request_method must be GET or POST.');
  if (!scopesOf(details).includes('openid')) throw invalidParameter('authorize_scopes must include openid for OIDC identity providers.');
}

function checkSaml(details: Details): void {
  if ((details.MetadataFile === undefined) === (details.MetadataURL === undefined)) throw invalidParameter('Exactly one of MetadataFile and MetadataURL is required for SAML identity providers.');
  if (details.RequestSigningAlgorithm !== undefined && details.RequestSigningAlgorithm !== 'rsa-sha256') throw invalidParameter('RequestSigningAlgorithm must be rsa-sha256.');
}

/** authorize_scopes is space-separated (Facebook's documented example separates with commas too). */
export const scopesOf = (details: Details): string[] => (details.authorize_scopes ?? '').split(/[\s,]+/).filter(Boolean);

/**
 * The details as DescribeIdentityProvider shows them: what was given (less the Apple key), with the
 * endpoints a social provider uses and the flags Cognito adds.
 */
export function describedDetails(type: IdentityProviderTypeType, details: Details, config: Pick<GatehouseConfig, 'federation'>, extra: Details = {}): Details {
  const shown: Details = Object.fromEntries(Object.entries(details).filter(([key]) => !HIDDEN_KEYS.has(key)));
  if (type === 'OIDC') return sorted({ ...shown, attributes_url_add_attributes: 'false', ...extra });
  if (type === 'SAML') return sorted({ ...shown, ...extra });
  return sorted({ ...socialEndpoints(type, details, config), ...shown, ...extra });
}

/** A social provider's endpoints and request style, with the operator's overrides applied. */
export function socialEndpoints(type: SocialProviderType, details: Details, config: Pick<GatehouseConfig, 'federation'>): Details {
  const defaults = socialDefaults(type, details);
  const overrides = config.federation.endpoints[type] ?? {};
  return Object.fromEntries(Object.entries({ ...defaults, ...overrides }).filter((entry): entry is [string, string] => entry[1] !== undefined));
}

const sorted = (details: Details): Details => Object.fromEntries(Object.entries(details).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

function isUrl(value: string): boolean {
  try {
    return ['http:', 'https:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
}

/**
 * The provider's attribute that names the user when the mapping does not say: `sub` for the OIDC
 * providers, Facebook's `id`, Amazon's `user_id`; a SAML user is named by the assertion's NameID.
 */
export function defaultSubjectAttribute(type: IdentityProviderTypeType): string | undefined {
  if (type === 'Facebook') return 'id';
  if (type === 'LoginWithAmazon') return 'user_id';
  if (type === 'SAML') return undefined;
  return 'sub';
}
