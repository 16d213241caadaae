import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { AdminCreateUserRequest, CreateGroupRequest, CreateUserPoolClientRequest, CreateUserPoolRequest } from '@aws-sdk/client-cognito-identity-provider';
import { parse as parseYaml } from 'yaml';
import { isApiCategory } from './domain/limits/api-categories.js';

// Every option's type and default lives here, so this module imports nothing of Gatehouse's own:
// the rest of the code reads its settings from here, never the other way round.

export interface Argon2Options {
  /** Memory per hash, in KiB (`m=` in the PHC string). */
  memoryKiB: number;
  /** Passes over that memory (`t=`). */
  iterations: number;
  /** Lanes (`p=`). */
  parallelism: number;
}

/** OWASP's first recommended argon2id setting (m=19 MiB, t=2, p=1); about 15 ms a hash on one modern server core. */
export const DEFAULT_ARGON2: Readonly<Argon2Options> = Object.freeze({ memoryKiB: 19456, iterations: 2, parallelism: 1 });

/** Requests per second allowed for one operation in one pool: a default, and per-operation overrides. */
export interface RateLimitConfig {
  /** For every operation without its own entry; 0 means unlimited. */
  perPoolPerOperation: number;
  /** Operation name → requests per second (0: unlimited). */
  operations: Record<string, number>;
  /**
   * Cognito quota category (UserAuthentication, UserCreation, …) → requests per second that the
   * category's operations share in each pool, unless UpdateProvisionedLimit gave the pool its own.
   */
  categories?: Record<string, number>;
}

/** The actions Cognito allows each user only so many times an hour. */
export type LimitedAction =
  | 'ResendConfirmationCode'
  | 'ConfirmSignUp'
  | 'ChangePassword'
  | 'GetUserAttributeVerificationCode'
  | 'VerifyUserAttribute'
  | 'ForgotPassword'
  | 'ConfirmForgotPassword';

/** Attempts per user per hour; 0 lifts the limit. */
export type AttemptLimitConfig = Record<LimitedAction, number>;

/**
 * Cognito's documented per-user quotas. Password resets are allowed "between 5 and 20 attempts for
 * a user to request or enter a password reset code" an hour, by risk: requests take the middle of
 * that range, entries the lenient end.
 */
export const COGNITO_ATTEMPT_LIMITS: AttemptLimitConfig = {
  ResendConfirmationCode: 5,
  ConfirmSignUp: 15,
  ChangePassword: 5,
  GetUserAttributeVerificationCode: 5,
  VerifyUserAttribute: 15,
  ForgotPassword: 10,
  ConfirmForgotPassword: 20,
};

/** A client as a config file declares it: CreateUserPoolClient's input, with optional fixed credentials. */
export type SeedClient = Omit<CreateUserPoolClientRequest, 'UserPoolId'> & { ClientId?: string; ClientSecret?: string };

/**
 * A user as a config file declares it: AdminCreateUser's input; with `Password` the user is
 * CONFIRMED with that permanent password, otherwise FORCE_CHANGE_PASSWORD as AdminCreateUser leaves it.
 * `Groups` names groups the user is a member of.
 */
export type SeedUser = Omit<AdminCreateUserRequest, 'UserPoolId' | 'MessageAction'> & { Password?: string; Groups?: string[] };

/** A group as a config file declares it: CreateGroup's input. */
export type SeedGroup = Omit<CreateGroupRequest, 'UserPoolId'>;

/** A pool as a config file declares it: CreateUserPool's input, an optional fixed Id, its clients, groups and users. */
export type SeedPool = CreateUserPoolRequest & { Id?: string; Clients?: SeedClient[]; Groups?: SeedGroup[]; Users?: SeedUser[] };


/**
 * Where a trigger function runs instead of the Lambda Invoke API: an HTTP endpoint that receives
 * the event as a signed POST and answers it back, or a local JS module exporting `handler`.
 */
export type TriggerRoute = { url: string; secret?: string } | { module: string };

/** How Gatehouse calls the functions a pool's LambdaConfig names. */
export interface LambdaOptions {
  /** The Invoke API's address (SAM local, LocalStack, serverless-offline); by default AWS Lambda in the ARN's region. */
  endpoint?: string;
  /** How long one attempt at a trigger may take; Cognito allows 5 s. Raise it for slow local emulators. */
  timeoutMs: number;
}

/** Everything Gatehouse can be told, in one typed object. */
export interface GatehouseConfig {
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** An SQLite file path or a postgres:// URL. */
  database: string;
  /** The region part of pool ids (`us-east-1_AbC123xyZ`) and ARNs. */
  region: string;
  /** The account id in ARNs. */
  accountId: string;
  /** Base of the token issuer and discovery URLs; by default the address the server listens on. */
  publicUrl?: string;
  /** `self`: tokens name this server as issuer; `cognito`: the AWS issuer URL, for verifiers that insist on it. */
  tokenIssuer: 'self' | 'cognito';
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Requests with a larger body are refused before they are parsed. */
  maxBodyBytes: number;
  sqlite: {
    /** FULL survives power loss; NORMAL survives a process kill (WAL) and is faster. */
    synchronous: 'FULL' | 'NORMAL';
    busyTimeoutMs: number;
  };
  postgres: {
    poolSize: number;
    connectionTimeoutMs: number;
    statementTimeoutMs: number;
  };
  /** argon2id cost for password hashes; raising it only affects hashes made from then on. */
  argon2: { memoryKiB: number; iterations: number; parallelism: number };
  /** Pools, clients, groups and users declared in the config file, applied at start. */
  userPools: SeedPool[];
  /**
   * Key pairs that may sign the operations Cognito authorises with IAM (Admin*, pool management,
   * ListUsers, …). With none, Gatehouse accepts any signature, and only on a loopback address.
   */
  accessKeys: { accessKeyId: string; secretAccessKey: string }[];
  /** Serve without access keys on a non-loopback address: anyone who reaches it is an administrator. */
  allowUnauthenticated: boolean;
  /** Requests per second per pool and operation (TooManyRequestsException beyond); 0 is unlimited, the default. */
  rateLimits: RateLimitConfig;
  /** Attempts per user per hour at resending and trying codes and changing passwords (LimitExceededException beyond); 0 lifts one. */
  attemptLimits: AttemptLimitConfig;
  /** How codes and invitations reach users, chosen per channel. */
  messages: { email: EmailChannelConfig; sms: SmsChannelConfig };
  /**
   * Seals secrets at rest (signing keys, password verifiers): 32 random bytes, base64 or hex.
   * Every node on one database needs the same key.
   */
  serverKey?: string;
  /** Where the key is kept when serverKey is not set; made on first start. Default: beside the SQLite file. */
  serverKeyFile?: string;
  /** The Lambda Invoke API that runs triggers by default. */
  lambda: LambdaOptions;
  /** How many days sign-in and other auth events are kept (AdminListUserAuthEvents, the console, the risk rating's history); 0 keeps them for ever. */
  authEventRetentionDays: number;
  /** User import jobs: how often each node looks for a started job, and how long a silent runner keeps one. */
  imports: { pollMs: number; leaseMs: number };
  /** Function ARN (or a glob over ARNs, `*` for any run of characters) → where it runs instead of Lambda. First match wins. */
  triggers: Record<string, TriggerRoute>;
  /** The KMS API that encrypts codes for the custom sender triggers; by default AWS KMS in the key's region. */
  kms: { endpoint?: string };
  /**
   * Prefix domains answer as `<prefix>.auth.<region>.amazoncognito.com` (for operators who point
   * that name at Gatehouse) and as `<prefix>.<loginDomainBase>`; the default, `auth.localhost`,
   * lets a browser on this machine reach `http://my-app.auth.localhost:9229/login` with no DNS.
   */
  loginDomainBase: string;
  /**
   * Federation: the social providers' endpoints, by provider type, in ProviderDetails' words
   * (authorize_url, token_url, attributes_url, oidc_issuer, jwks_uri). Unset ones are the providers'
   * real URLs; setting them points Google & co. at a test double or an air-gapped mirror.
   */
  federation: { endpoints: Partial<Record<SocialProviderType, Partial<Record<SocialEndpointName, string>>>> };
  /**
   * Log delivery (SetLogDeliveryConfiguration): where the log group, bucket and Firehose stream
   * ARNs pools name really write. Each key is an ARN, or an ARN prefix ending in `*`; the longest
   * match wins. Records for an ARN that nothing matches are dropped, with a warning.
   */
  logDelivery: { destinations: Record<string, LogDestination> };
  /**
   * Threat protection's compromised-credentials check: by default against the list of the most common
   * breached passwords shipped with Gatehouse; with `breachedPasswordsUrl`, against a Pwned Passwords
   * k-anonymity range API there (`<url>/range/<first five SHA-1 hex digits>`, e.g. https://api.pwnedpasswords.com).
   */
  threatProtection: { breachedPasswordsUrl?: string; locations?: AddressLocation[] };
}

/** Where the addresses of a range are, for auth events' City, Country and Timezone: the first range that holds an address wins. */
export interface AddressLocation {
  /** A CIDR block, IPv4 or IPv6. */
  range: string;
  city?: string;
  country?: string;
  timezone?: string;
}

/** `stdout`, `file:<path>` (JSON lines, appended), or an http(s) URL (JSON lines POSTed in batches). */
export type LogDestination = string;

export const SOCIAL_PROVIDER_TYPES = ['Google', 'Facebook', 'LoginWithAmazon', 'SignInWithApple'] as const;
export type SocialProviderType = (typeof SOCIAL_PROVIDER_TYPES)[number];
export const SOCIAL_ENDPOINT_NAMES = ['authorize_url', 'token_url', 'attributes_url', 'oidc_issuer', 'jwks_uri'] as const;
export type SocialEndpointName = (typeof SOCIAL_ENDPOINT_NAMES)[number];

/** One line per message on the server's log: the developer copies the code from there. */
export interface LogChannelConfig {
  method: 'log';
  /**
   * Whether the line carries the code or temporary password. By default it does, except on a
   * server reachable from other machines with access keys set (a production-like setup), whose
   * log must not give out what lets someone take over an account.
   */
  showCodes?: boolean;
}

/** A signed JSON POST per message, for a team's own sender (or a test's mailbox). */
export interface WebhookChannelConfig {
  method: 'webhook';
  url: string;
  /** Signs each request (x-gatehouse-signature); without it requests go unsigned. */
  secret?: string;
  /** Further tries after a network error, a timeout, a 5xx or a 429 (default 2). */
  retries?: number;
  /** How long one try may take (default 5000). */
  timeoutMs?: number;
}

/** Real email through an SMTP server. */
export interface SmtpChannelConfig {
  method: 'smtp';
  host: string;
  port: number;
  /** TLS from the first byte (port 465); otherwise STARTTLS when the server offers it. */
  secure?: boolean;
  user?: string;
  password?: string;
  /** The From header, e.g. `Gatehouse <no-reply@example.com>`. */
  from: string;
  /** Connecting, the greeting, and each wait on the server, each at most this long (default 10000). */
  timeoutMs?: number;
}

export type EmailChannelConfig = LogChannelConfig | WebhookChannelConfig | SmtpChannelConfig;
export type SmsChannelConfig = LogChannelConfig | WebhookChannelConfig;
export type ChannelConfig = EmailChannelConfig | SmsChannelConfig;

export const defaultConfig = (): GatehouseConfig => ({
  host: '127.0.0.1',
  port: 9229,
  database: '.gatehouse/gatehouse.db',
  region: 'us-east-1',
  accountId: '000000000000',
  tokenIssuer: 'self',
  logLevel: 'info',
  maxBodyBytes: 1024 * 1024,
  sqlite: { synchronous: 'FULL', busyTimeoutMs: 5000 },
  postgres: { poolSize: 10, connectionTimeoutMs: 5000, statementTimeoutMs: 10000 },
  argon2: { ...DEFAULT_ARGON2 },
  userPools: [],
  accessKeys: [],
  allowUnauthenticated: false,
  rateLimits: { perPoolPerOperation: 0, operations: {} },
  attemptLimits: { ...COGNITO_ATTEMPT_LIMITS },
  messages: { email: { method: 'log' }, sms: { method: 'log' } },
  lambda: { timeoutMs: 5000 },
  triggers: {},
  kms: {},
  loginDomainBase: 'auth.localhost',
  federation: { endpoints: {} },
  authEventRetentionDays: 90,
  imports: { pollMs: 1000, leaseMs: 30_000 },
  logDelivery: { destinations: {} },
  threatProtection: {},
});

export class ConfigError extends Error {}

const LOG_LEVELS: GatehouseConfig['logLevel'][] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** What an AWS region's name looks like (us-east-1, us-gov-west-1). */
export const REGION = /^[a-z]{2}(-gov)?-[a-z]+-\d$/;

/** Fields without a default, accepted in a config file all the same. */
const OPTIONAL_FIELDS = ['publicUrl', 'serverKey', 'serverKeyFile'];

export const SERVER_KEY_BYTES = 32;
export const SERVER_KEY_FORMAT = `must hold ${SERVER_KEY_BYTES} or more random bytes in base64 or hex (e.g. from openssl rand -base64 32)`;

/**
 * A server key as an operator writes it: hex when it is only hex digits, base64 (or base64url)
 * otherwise. Undefined when it is neither or too short.
 */
export function decodeServerKey(text: string): Buffer | undefined {
  const trimmed = text.trim();
  let key: Buffer;
  if (/^([0-9a-fA-F]{2})+$/.test(trimmed)) key = Buffer.from(trimmed, 'hex');
  else if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(trimmed)) key = Buffer.from(trimmed, 'base64');
  else return undefined;
  return key.length >= SERVER_KEY_BYTES ? key : undefined;
}

/** Reads a JSON or YAML config file and lays it over the defaults. */
export async function loadConfigFile(path: string, base: GatehouseConfig = defaultConfig()): Promise<GatehouseConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`cannot read config file ${path}: ${(error as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = path.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new ConfigError(`config file ${path} is not valid ${path.endsWith('.json') ? 'JSON' : 'YAML'}: ${(error as Error).message}`);
  }
  return mergeConfig(base, parsed ?? {});
}

/** Lays a partial, untrusted config object over a complete one, checking each field it knows. */
export function mergeConfig(base: GatehouseConfig, overrides: unknown): GatehouseConfig {
  if (typeof overrides !== 'object' || overrides === null || Array.isArray(overrides)) {
    throw new ConfigError('config must be an object');
  }
  const known = new Set(Object.keys(base));
  for (const key of Object.keys(overrides)) {
    if (!known.has(key) && !OPTIONAL_FIELDS.includes(key)) throw new ConfigError(`unknown config field '${key}'`);
  }
  const merged: GatehouseConfig = {
    ...base,
    ...(overrides as Partial<GatehouseConfig>),
    sqlite: { ...base.sqlite, ...((overrides as Partial<GatehouseConfig>).sqlite ?? {}) },
    postgres: { ...base.postgres, ...((overrides as Partial<GatehouseConfig>).postgres ?? {}) },
    argon2: { ...base.argon2, ...((overrides as Partial<GatehouseConfig>).argon2 ?? {}) },
    rateLimits: { ...base.rateLimits, ...((overrides as Partial<GatehouseConfig>).rateLimits ?? {}) },
    attemptLimits: { ...base.attemptLimits, ...((overrides as Partial<GatehouseConfig>).attemptLimits ?? {}) },
    // Per channel, whole: a channel's fields belong to its method, so they are never mixed across methods.
    messages: { ...base.messages, ...((overrides as Partial<GatehouseConfig>).messages ?? {}) },
    lambda: { ...base.lambda, ...((overrides as Partial<GatehouseConfig>).lambda ?? {}) },
    triggers: { ...base.triggers, ...((overrides as Partial<GatehouseConfig>).triggers ?? {}) },
    kms: { ...base.kms, ...((overrides as Partial<GatehouseConfig>).kms ?? {}) },
    federation: { endpoints: { ...base.federation.endpoints, ...((overrides as Partial<GatehouseConfig>).federation?.endpoints ?? {}) } },
    imports: { ...base.imports, ...((overrides as Partial<GatehouseConfig>).imports ?? {}) },
    logDelivery: {
      ...base.logDelivery,
      ...(overrides as Partial<GatehouseConfig>).logDelivery,
      destinations: { ...base.logDelivery.destinations, ...((overrides as Partial<GatehouseConfig>).logDelivery?.destinations ?? {}) },
    },
    threatProtection: { ...base.threatProtection, ...((overrides as Partial<GatehouseConfig>).threatProtection ?? {}) },
  };
  checkConfig(merged);
  return merged;
}

function checkConfig(config: GatehouseConfig): void {
  const fail = (message: string) => {
    throw new ConfigError(message);
  };
  if (typeof config.host !== 'string' || config.host === '') fail('host must be a non-empty string');
  if (!Number.isInteger(config.port) || config.port < 0 || config.port > 65535) fail('port must be an integer from 0 to 65535');
  if (typeof config.database !== 'string' || config.database === '') fail('database must be a file path or a postgres:// URL');
  if (!REGION.test(config.region)) fail(`region '${config.region}' does not look like an AWS region (e.g. us-east-1)`);
  if (!/^\d{12}$/.test(config.accountId)) fail('accountId must be 12 digits');
  if (config.publicUrl !== undefined && !/^https?:\/\/[^/]+(\/.*)?$/.test(config.publicUrl)) fail('publicUrl must be an http(s) URL');
  if (!Number.isInteger(config.maxBodyBytes) || config.maxBodyBytes < 1024) fail('maxBodyBytes must be an integer of at least 1024');
  if (!['FULL', 'NORMAL'].includes(config.sqlite.synchronous)) fail('sqlite.synchronous must be FULL or NORMAL');
  if (!Array.isArray(config.userPools)) fail('userPools must be a list');
  const { memoryKiB, iterations, parallelism } = config.argon2;
  if (![memoryKiB, iterations, parallelism].every(Number.isInteger) || memoryKiB < 8 * parallelism || iterations < 1 || parallelism < 1) {
    fail('argon2 needs integers: memoryKiB of at least 8 × parallelism, iterations ≥ 1, parallelism ≥ 1');
  }
  if (config.tokenIssuer !== 'self' && config.tokenIssuer !== 'cognito') fail("tokenIssuer must be 'self' or 'cognito'");
  if (!LOG_LEVELS.includes(config.logLevel)) fail(`logLevel must be one of ${LOG_LEVELS.join(', ')}`);
  // The key itself never goes into a message: it may end up in a log.
  if (config.serverKey !== undefined && (typeof config.serverKey !== 'string' || !decodeServerKey(config.serverKey))) fail(`serverKey ${SERVER_KEY_FORMAT}`);
  if (config.serverKeyFile !== undefined && (typeof config.serverKeyFile !== 'string' || config.serverKeyFile === '')) fail('serverKeyFile must be a file path');
  checkAccessKeys(config, fail);
  checkRateLimits(config.rateLimits, fail);
  checkAttemptLimits(config.attemptLimits, fail);
  checkMessages(config.messages, fail);
  checkTriggers(config, fail);
  if (typeof config.loginDomainBase !== 'string' || !/^[a-z0-9-]+(\.[a-z0-9-]+)*$/.test(config.loginDomainBase)) fail('loginDomainBase must be a host name such as auth.localhost');
  checkFederation(config.federation, fail);
  checkLogDelivery(config.logDelivery, fail);
  checkThreatProtection(config.threatProtection, fail);
  if (!Number.isInteger(config.authEventRetentionDays) || config.authEventRetentionDays < 0) fail('authEventRetentionDays must be a whole number of days ≥ 0 (0 keeps events for ever)');
  for (const field of ['pollMs', 'leaseMs'] as const) {
    if (!Number.isInteger(config.imports[field]) || config.imports[field] < 1) fail(`imports.${field} must be a positive whole number of milliseconds`);
  }
}

function checkThreatProtection(threatProtection: GatehouseConfig['threatProtection'], fail: (message: string) => void): void {
  const { breachedPasswordsUrl, locations, ...unknown } = threatProtection;
  if (breachedPasswordsUrl !== undefined && !isHttpUrl(breachedPasswordsUrl)) fail(`threatProtection.breachedPasswordsUrl must be an http(s) URL, got ${JSON.stringify(breachedPasswordsUrl)}`);
  for (const key of Object.keys(unknown)) fail(`unknown field 'threatProtection.${key}' (the fields are breachedPasswordsUrl and locations)`);
  if (locations !== undefined && !Array.isArray(locations)) fail('threatProtection.locations must be a list of {range, city, country, timezone}');
  for (const [i, location] of (locations ?? []).entries()) {
    const at = `threatProtection.locations[${i}]`;
    if (typeof location !== 'object' || location === null || typeof location.range !== 'string' || !/^[0-9a-fA-F.:]+\/\d{1,3}$/.test(location.range)) fail(`${at}.range must be a CIDR block such as 192.0.2.0/24`);
    for (const field of ['city', 'country', 'timezone'] as const) if (location[field] !== undefined && typeof location[field] !== 'string') fail(`${at}.${field} must be a string`);
  }
}

function checkFederation(federation: GatehouseConfig['federation'], fail: (message: string) => void): void {
  for (const [type, endpoints] of Object.entries(federation.endpoints ?? {})) {
    if (!(SOCIAL_PROVIDER_TYPES as readonly string[]).includes(type)) fail(`federation.endpoints.${type}: the provider types are ${SOCIAL_PROVIDER_TYPES.join(', ')}`);
    for (const [name, url] of Object.entries(endpoints ?? {})) {
      if (!(SOCIAL_ENDPOINT_NAMES as readonly string[]).includes(name)) fail(`federation.endpoints.${type}.${name}: the endpoints are ${SOCIAL_ENDPOINT_NAMES.join(', ')}`);
      if (!isHttpUrl(url)) fail(`federation.endpoints.${type}.${name} must be an http(s) URL, got ${JSON.stringify(url)}`);
    }
  }
}

function checkLogDelivery(logDelivery: GatehouseConfig['logDelivery'], fail: (message: string) => void): void {
  if (typeof logDelivery !== 'object' || logDelivery === null || Array.isArray(logDelivery)) return fail('logDelivery must be {destinations: {<arn>: <destination>}}');
  for (const key of Object.keys(logDelivery)) if (key !== 'destinations') fail(`unknown field 'logDelivery.${key}' (the field is destinations)`);
  const { destinations } = logDelivery;
  if (typeof destinations !== 'object' || destinations === null || Array.isArray(destinations)) return fail('logDelivery.destinations must map ARNs to destinations');
  for (const [arn, destination] of Object.entries(destinations)) {
    const star = arn.indexOf('*');
    if (!/^arn:[^:*]+:[^:*]+:/.test(arn) || (star !== -1 && star !== arn.length - 1)) {
      fail(`logDelivery.destinations: '${arn}' must be an ARN, or an ARN prefix ending in * (e.g. arn:aws:logs:us-east-1:000000000000:log-group:*)`);
    }
    if (!isLogDestination(destination)) fail(`logDelivery.destinations['${arn}'] must be 'stdout', 'file:<path>' or an http(s) URL, got ${JSON.stringify(destination)}`);
  }
}

const isLogDestination = (value: unknown): boolean => value === 'stdout' || isFileDestination(value) || isHttpUrl(value);

/** `file:<path>`, or a file URL the log writer can open (`file:///abs`; not `file://host/…`). */
function isFileDestination(value: unknown): boolean {
  if (typeof value !== 'string' || !/^file:.+/.test(value)) return false;
  if (!value.startsWith('file://')) return true;
  try {
    fileURLToPath(value);
    return true;
  } catch {
    return false;
  }
}

function checkTriggers(config: GatehouseConfig, fail: (message: string) => void): void {
  const { lambda, triggers, kms } = config;
  if (lambda.endpoint !== undefined && !isHttpUrl(lambda.endpoint)) fail(`lambda.endpoint must be an http(s) URL, got ${JSON.stringify(lambda.endpoint)}`);
  if (!Number.isInteger(lambda.timeoutMs) || lambda.timeoutMs < 100 || lambda.timeoutMs > 900_000) fail('lambda.timeoutMs must be an integer from 100 to 900000');
  for (const key of Object.keys(lambda)) if (key !== 'endpoint' && key !== 'timeoutMs') fail(`unknown field 'lambda.${key}' (the fields are endpoint and timeoutMs)`);
  if (kms.endpoint !== undefined && !isHttpUrl(kms.endpoint)) fail(`kms.endpoint must be an http(s) URL, got ${JSON.stringify(kms.endpoint)}`);
  for (const key of Object.keys(kms)) if (key !== 'endpoint') fail(`unknown field 'kms.${key}' (the field is endpoint)`);
  if (typeof triggers !== 'object' || triggers === null || Array.isArray(triggers)) return fail('triggers must map function ARNs (or globs) to {url} or {module}');
  for (const [pattern, route] of Object.entries(triggers)) {
    const at = `triggers['${pattern}']`;
    const fields = typeof route === 'object' && route !== null ? Object.keys(route) : [];
    if ('url' in (route ?? {})) {
      const { url, secret } = route as { url: unknown; secret?: unknown };
      if (!isHttpUrl(url)) fail(`${at}.url must be an http(s) URL, got ${JSON.stringify(url)}`);
      if (secret !== undefined && (typeof secret !== 'string' || secret === '')) fail(`${at}.secret must be a non-empty string`);
      for (const key of fields) if (key !== 'url' && key !== 'secret') fail(`unknown field '${at}.${key}' (a url route takes url and secret)`);
    } else if ('module' in (route ?? {})) {
      if (typeof (route as { module: unknown }).module !== 'string' || (route as { module: string }).module === '') fail(`${at}.module must be the path of a JS file`);
      for (const key of fields) if (key !== 'module') fail(`unknown field '${at}.${key}' (a module route takes module only)`);
    } else fail(`${at} must be {url, secret?} or {module}`);
  }
}

const LOOPBACK = /^(127(\.\d{1,3}){3}|::1|localhost)$/;

/** Loopback addresses are reachable from this machine only. */
export const isLoopback = (host: string): boolean => LOOPBACK.test(host);

function checkAccessKeys(config: GatehouseConfig, fail: (message: string) => void): void {
  if (!Array.isArray(config.accessKeys)) return fail('accessKeys must be a list of {accessKeyId, secretAccessKey}');
  for (const key of config.accessKeys) {
    if (typeof key?.accessKeyId !== 'string' || !/^[A-Za-z0-9_-]{4,128}$/.test(key.accessKeyId)) fail('accessKeys[].accessKeyId must be 4 to 128 letters, digits, - or _');
    // The secret never goes into a message.
    if (typeof key.secretAccessKey !== 'string' || key.secretAccessKey.length < 8) fail(`accessKeys: the secret of ${key.accessKeyId} must be a string of 8 or more characters`);
  }
  if (typeof config.allowUnauthenticated !== 'boolean') fail('allowUnauthenticated must be true or false');
}

function checkRateLimits(limits: RateLimitConfig, fail: (message: string) => void): void {
  const rate = (value: unknown) => typeof value === 'number' && Number.isFinite(value) && value >= 0;
  if (typeof limits !== 'object' || limits === null) return fail('rateLimits must be {perPoolPerOperation, operations}');
  if (!rate(limits.perPoolPerOperation)) fail('rateLimits.perPoolPerOperation must be a number ≥ 0 (requests per second; 0 is unlimited)');
  if (typeof limits.operations !== 'object' || limits.operations === null) return fail('rateLimits.operations must map operation names to requests per second');
  for (const [name, value] of Object.entries(limits.operations)) if (!rate(value)) fail(`rateLimits.operations.${name} must be a number ≥ 0`);
  if (limits.categories === undefined) return;
  if (typeof limits.categories !== 'object' || limits.categories === null) return fail('rateLimits.categories must map Cognito quota categories to requests per second');
  for (const [name, value] of Object.entries(limits.categories)) {
    if (!isApiCategory(name)) fail(`rateLimits.categories.${name} is not a Cognito quota category (UserAuthentication, UserCreation, …)`);
    if (!rate(value)) fail(`rateLimits.categories.${name} must be a number ≥ 0`);
  }
}

function checkAttemptLimits(limits: AttemptLimitConfig, fail: (message: string) => void): void {
  if (typeof limits !== 'object' || limits === null || Array.isArray(limits)) return fail('attemptLimits must map actions to attempts per user per hour');
  for (const [name, value] of Object.entries(limits)) {
    if (!Object.hasOwn(COGNITO_ATTEMPT_LIMITS, name)) fail(`unknown field 'attemptLimits.${name}' (the limited actions are ${Object.keys(COGNITO_ATTEMPT_LIMITS).join(', ')})`);
    if (!Number.isInteger(value) || value < 0) fail(`attemptLimits.${name} must be an integer ≥ 0 (attempts per user per hour; 0 is unlimited)`);
  }
}

/** Checked on the final configuration: without keys, only this machine may reach the admin operations. */
export function checkExposure(config: GatehouseConfig): void {
  if (config.accessKeys.length === 0 && !isLoopback(config.host) && !config.allowUnauthenticated) {
    throw new ConfigError(
      `refusing to serve on ${config.host} without access keys: anyone who can reach it could manage users. ` +
        'Set GATEHOUSE_ACCESS_KEY_ID and GATEHOUSE_SECRET_ACCESS_KEY (or accessKeys in the config file), or pass --allow-unauthenticated',
    );
  }
}

const MESSAGE_FIELDS: Record<ChannelConfig['method'], string[]> = {
  log: ['method', 'showCodes'],
  webhook: ['method', 'url', 'secret', 'retries', 'timeoutMs'],
  smtp: ['method', 'host', 'port', 'secure', 'user', 'password', 'from', 'timeoutMs'],
};

function checkMessages(messages: GatehouseConfig['messages'], fail: (message: string) => void): void {
  if (typeof messages !== 'object' || messages === null || Array.isArray(messages)) return fail('messages must be an object with email and sms');
  for (const key of Object.keys(messages)) {
    if (key !== 'email' && key !== 'sms') fail(`unknown field 'messages.${key}' (the channels are email and sms)`);
  }
  for (const name of ['email', 'sms'] as const) {
    const channel = messages[name] as unknown as Record<string, unknown>;
    const at = `messages.${name}`;
    if (typeof channel !== 'object' || channel === null || Array.isArray(channel)) return fail(`${at} must be an object with a method`);
    const method = channel.method as ChannelConfig['method'];
    const methods = name === 'email' ? "'log', 'webhook' or 'smtp'" : "'log' or 'webhook'";
    if (name === 'sms' && method === 'smtp') fail(`${at}.method 'smtp' sends email only; sms takes ${methods}`);
    if (!Object.hasOwn(MESSAGE_FIELDS, method)) fail(`${at}.method must be ${methods}, got ${JSON.stringify(channel.method)}`);
    for (const key of Object.keys(channel)) {
      if (!MESSAGE_FIELDS[method].includes(key)) fail(`unknown field '${at}.${key}' for method '${method}'`);
    }
    const optional = (key: string, check: (value: unknown) => boolean, wanted: string) => {
      if (channel[key] !== undefined && !check(channel[key])) fail(`${at}.${key} must be ${wanted}`);
    };
    const nonEmptyString = (value: unknown) => typeof value === 'string' && value !== '';
    const integerFrom = (min: number, max: number) => (value: unknown) => Number.isInteger(value) && (value as number) >= min && (value as number) <= max;
    if (method === 'log') optional('showCodes', (value) => typeof value === 'boolean', 'true or false');
    if (method === 'webhook') {
      if (!isHttpUrl(channel.url)) fail(`${at}.url must be an http(s) URL, got ${JSON.stringify(channel.url)}`);
      optional('secret', nonEmptyString, 'a non-empty string');
      optional('retries', integerFrom(0, 10), 'an integer from 0 to 10');
      optional('timeoutMs', integerFrom(1, 600_000), 'an integer from 1 to 600000');
    }
    if (method === 'smtp') {
      if (!nonEmptyString(channel.host)) fail(`${at}.host must be the SMTP server's host name`);
      if (!integerFrom(1, 65535)(channel.port)) fail(`${at}.port must be an integer from 1 to 65535 (587 for STARTTLS, 465 with secure: true)`);
      optional('secure', (value) => typeof value === 'boolean', 'true or false');
      optional('user', nonEmptyString, 'a non-empty string');
      optional('password', (value) => typeof value === 'string', 'a string');
      if (channel.password !== undefined && channel.user === undefined) fail(`${at}.password needs a user`);
      if (typeof channel.from !== 'string' || !/@[^@\s>]+>?\s*$/.test(channel.from)) {
        fail(`${at}.from must be an address, e.g. "Gatehouse <no-reply@example.com>"`);
      }
      optional('timeoutMs', integerFrom(1, 600_000), 'an integer from 1 to 600000');
    }
  }
}

function isHttpUrl(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  try {
    const { protocol } = new URL(value);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}

export const isPostgresUrl = (database: string): boolean => /^postgres(ql)?:\/\//.test(database);
