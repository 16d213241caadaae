import type {
  CreateUserPoolClientRequest,
  ExplicitAuthFlowsType,
  SchemaAttributeType,
  TimeUnitsType,
  TokenValidityUnitsType,
  UserPoolClientType,
} from '@aws-sdk/client-cognito-identity-provider';
import { CognitoError, invalidParameter } from '../errors.js';

const invalidOAuthFlow = (message: string) => new CognitoError('InvalidOAuthFlowException', message);

/** A client's stored settings: Cognito's UserPoolClientType less ids, name, secret and dates. */
export type ClientSettings = Omit<UserPoolClientType, 'UserPoolId' | 'ClientName' | 'ClientId' | 'ClientSecret' | 'CreationDate' | 'LastModifiedDate'>;

/** What the checks need to know beyond the request: the action, for messages, whether there is a secret, the pool's custom scopes. */
export interface ClientContext {
  action: 'creating' | 'updating';
  hasSecret: boolean;
  customScopes: ReadonlySet<string>;
}

/** The scopes every pool has; the rest are its resource servers' (`identifier/scope`). */
export const RESERVED_SCOPES: ReadonlySet<string> = new Set(['openid', 'email', 'phone', 'profile', 'aws.cognito.signin.user.admin']);

type SettingsInput = Omit<CreateUserPoolClientRequest, 'UserPoolId' | 'ClientName' | 'GenerateSecret'>;

const SECONDS: Record<TimeUnitsType, number> = { seconds: 1, minutes: 60, hours: 3600, days: 86400 };
const MINUTE = 60;
const HOUR = 3600;
const DAY = 86400;


/** Cognito's allowed lifetimes, in seconds, and the unit each number is read in by default. */
const TOKEN_LIMITS = {
  AccessToken: { min: 5 * MINUTE, max: DAY, defaultUnit: 'hours', defaultValue: 1 },
  IdToken: { min: 5 * MINUTE, max: DAY, defaultUnit: 'hours', defaultValue: 1 },
  RefreshToken: { min: HOUR, max: 3650 * DAY, defaultUnit: 'days', defaultValue: 30 },
} as const;

type TokenKind = keyof typeof TOKEN_LIMITS;

const LEGACY_FLOWS = new Set(['ADMIN_NO_SRP_AUTH', 'CUSTOM_AUTH_FLOW_ONLY', 'USER_PASSWORD_AUTH']);

/** The flows a client allows when ExplicitAuthFlows is not given. */
export const DEFAULT_AUTH_FLOWS = ['ALLOW_CUSTOM_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_USER_SRP_AUTH'] as const;

/**
 * Settings for a new client, or the whole replacement an UpdateUserPoolClient makes:
 * Cognito treats omitted fields of an update as reset to their defaults.
 */
export function clientSettings(input: SettingsInput, schema: SchemaAttributeType[], context: ClientContext): ClientSettings {
  const settings: ClientSettings = {
    RefreshTokenValidity: input.RefreshTokenValidity || TOKEN_LIMITS.RefreshToken.defaultValue,
    TokenValidityUnits: { ...input.TokenValidityUnits },
    AllowedOAuthFlowsUserPoolClient: input.AllowedOAuthFlowsUserPoolClient ?? false,
    EnableTokenRevocation: input.EnableTokenRevocation ?? true,
    EnablePropagateAdditionalUserContextData: input.EnablePropagateAdditionalUserContextData ?? false,
    AuthSessionValidity: input.AuthSessionValidity ?? 3,
  };
  if (input.AccessTokenValidity !== undefined) settings.AccessTokenValidity = input.AccessTokenValidity;
  if (input.IdTokenValidity !== undefined) settings.IdTokenValidity = input.IdTokenValidity;
  for (const kind of Object.keys(TOKEN_LIMITS) as TokenKind[]) checkTokenValidity(settings, kind);

  if (input.ExplicitAuthFlows?.length) settings.ExplicitAuthFlows = checkAuthFlows(input.ExplicitAuthFlows);
  if (input.ReadAttributes?.length) settings.ReadAttributes = checkAttributes(input.ReadAttributes, schema, 'read', context);
  if (input.WriteAttributes?.length) settings.WriteAttributes = checkAttributes(input.WriteAttributes, schema, 'write', context);
  const copied = [
    'SupportedIdentityProviders',
    'CallbackURLs',
    'LogoutURLs',
    'DefaultRedirectURI',
    'AllowedOAuthFlows',
    'AllowedOAuthScopes',
    'AnalyticsConfiguration',
    'PreventUserExistenceErrors',
    'RefreshTokenRotation',
  ] as const;
  for (const field of copied) {
    const value = input[field];
    if (value !== undefined && !(Array.isArray(value) && value.length === 0)) (settings as Record<string, unknown>)[field] = value;
  }
  checkOAuth(settings, context);
  if (settings.RefreshTokenRotation?.Feature === 'ENABLED' && settings.ExplicitAuthFlows?.includes('ALLOW_REFRESH_TOKEN_AUTH')) {
    throw invalidParameter('ALLOW_REFRESH_TOKEN_AUTH cannot be enabled when refresh token rotation is enabled.');
  }
  return settings;
}

/** A token lifetime in seconds, from the client's number and unit or Cognito's default. */
export function tokenValiditySeconds(settings: ClientSettings, kind: TokenKind): number {
  const limits = TOKEN_LIMITS[kind];
  const value = (settings[`${kind}Validity`] as number | undefined) || limits.defaultValue;
  const unit = settings.TokenValidityUnits?.[kind as keyof TokenValidityUnitsType] ?? limits.defaultUnit;
  return value * SECONDS[unit];
}

export const authFlowsOf = (settings: ClientSettings): readonly string[] => settings.ExplicitAuthFlows ?? DEFAULT_AUTH_FLOWS;

function checkTokenValidity(settings: ClientSettings, kind: TokenKind): void {
  const value = settings[`${kind}Validity`];
  if (value === undefined) return;
  const seconds = tokenValiditySeconds(settings, kind);
  const { min, max } = TOKEN_LIMITS[kind];
  if (seconds < min || seconds > max) {
    throw invalidParameter('Invalid range for token validity.');
  }
}

function checkAuthFlows(flows: ExplicitAuthFlowsType[]): ExplicitAuthFlowsType[] {
  const unique = [...new Set(flows)];
  const legacy = unique.filter((flow) => LEGACY_FLOWS.has(flow));
  if (legacy.length > 0 && legacy.length < unique.length) {
    throw invalidParameter('ExplicitAuthFlows cannot mix legacy values and ALLOW_ values.');
  }
  return unique;
}

/** Attributes must exist in the pool's schema; Cognito returns the list sorted. */
function checkAttributes(names: string[], schema: SchemaAttributeType[], access: 'read' | 'write', context: ClientContext): string[] {
  const known = new Set(schema.map((attribute) => attribute.Name));
  for (const name of names) {
    const unknown = !known.has(name) || name === 'sub';
    const notWritable = access === 'write' && /^(email_verified|phone_number_verified)$/.test(name);
    if (unknown || notWritable) throw invalidParameter(`Invalid ${access} attributes specified while ${context.action} a client`);
  }
  return [...new Set(names)].sort();
}

function checkOAuth(settings: ClientSettings, context: ClientContext): void {
  const flows = settings.AllowedOAuthFlows ?? [];
  if (settings.AllowedOAuthFlowsUserPoolClient && (flows.length === 0 || !settings.AllowedOAuthScopes?.length)) {
    throw invalidParameter('AllowedOAuthFlows and AllowedOAuthScopes are required if user pool client is allowed to use OAuth flows.');
  }
  if (flows.includes('client_credentials') && flows.length > 1) {
    throw invalidOAuthFlow('client_credentials flow can not be selected along with code flow or implicit flow.');
  }
  if (flows.includes('client_credentials') && !context.hasSecret) {
    throw invalidOAuthFlow('client_credentials flow can not be selected if client does not have a client secret.');
  }
  if ((flows.includes('code') || flows.includes('implicit')) && !settings.CallbackURLs?.length) {
    throw invalidOAuthFlow('CallbackUrls can not be empty when code flow or implicit flow is selected');
  }
  if (settings.DefaultRedirectURI && !settings.CallbackURLs?.includes(settings.DefaultRedirectURI)) {
    throw invalidParameter('DefaultRedirectURI must be one of the CallbackURLs.');
  }
  for (const scope of settings.AllowedOAuthScopes ?? []) {
    if (!RESERVED_SCOPES.has(scope) && !context.customScopes.has(scope)) throw new CognitoError('ScopeDoesNotExistException', `Invalid scope requested: ${scope}`);
    if (flows.includes('client_credentials') && RESERVED_SCOPES.has(scope)) {
      throw invalidOAuthFlow('client_credentials flow can only be used with custom scopes of the pool\'s resource servers.');
    }
  }
  for (const [field, urls] of [['CallbackURLs', settings.CallbackURLs], ['LogoutURLs', settings.LogoutURLs]] as const) {
    for (const url of urls ?? []) checkRedirectUrl(field, url);
  }
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Cognito's rule for callback and sign-out URLs: absolute, no fragment, and https unless the host is
 * this machine (http://localhost, 127.0.0.1, [::1]); an app's own scheme (myapp://callback) is fine.
 */
function checkRedirectUrl(field: string, url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw invalidParameter(`${field} must be absolute URLs: ${url}`);
  }
  if (url.includes('#')) throw invalidParameter(`${field} cannot contain a fragment: ${url}`);
  if (parsed.protocol === 'http:' && !LOOPBACK_HOSTS.has(parsed.hostname)) {
    throw invalidParameter(`${field} must use https, except for http://localhost: ${url}`);
  }
}
