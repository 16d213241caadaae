import type { Clock } from '../clock.js';
import type { GatehouseConfig } from '../config.js';
import type { Storage } from '../storage/types.js';
import { AppClients } from './clients/app-clients.js';
import { ProvisionedLimits } from './limits/provisioned-limits.js';
import { Issuers } from './keys/issuers.js';
import type { SecretBox } from './keys/secret-box.js';
import { SigningKeys } from './keys/signing-keys.js';
import type { MessageDelivery } from './messages/delivery.js';
import { PasswordHasher } from './passwords/password-hasher.js';
import { PasswordCredentials } from './passwords/credentials.js';
import { Devices } from './devices/devices.js';
import { Groups } from './groups/groups.js';
import { PoolReplicas } from './pools/replicas.js';
import { UserPools } from './pools/user-pools.js';
import { Authentication } from './auth/authentication.js';
import { Lockout } from './auth/lockout.js';
import { MfaStep } from './auth/mfa-step.js';
import { RefreshFlow } from './auth/refresh-flow.js';
import { SignInCompletion } from './auth/sign-in-completion.js';
import { SignInSessions } from './auth/sign-in-sessions.js';
import { SrpSignIn } from './auth/srp-sign-in.js';
import { CustomAuth } from './auth/custom-auth.js';
import { UserAuth } from './auth/user-auth.js';
import { Passkeys } from './webauthn/passkeys.js';
import { MfaSettings } from './mfa/mfa-settings.js';
import { SecondFactors } from './mfa/second-factors.js';
import { Tokens } from './tokens/tokens.js';
import { UserSessions } from './sessions/user-sessions.js';
import { VerificationCodes } from './codes/verification-codes.js';
import { AttemptLimits } from './codes/attempt-limits.js';
import { OwnAttributes } from './self-service/own-attributes.js';
import { SelfService } from './self-service/self-service.js';
import { Users } from './users/users.js';
import { Messenger, type CodeSealer } from './messages/messenger.js';
import { MessageOutbox } from './messages/outbox.js';
import { AuthEvents } from './auth/auth-events.js';
import { BundledBreachedPasswords, RangeApiBreachedPasswords } from './risk/breached-passwords.js';
import { RiskConfigurations } from './risk/risk-configurations.js';
import { RiskNotifications } from './risk/risk-notifications.js';
import { Locations } from './risk/locations.js';
import { ThreatProtection } from './risk/threat-protection.js';
import { UserAuthEvents } from './risk/user-auth-events.js';
import type { FunctionInvoker } from './triggers/invocation.js';
import { Triggers, type InvocationRecord } from './triggers/triggers.js';
import { UserTriggers } from './triggers/user-triggers.js';
import { ResourceServers } from './oauth/resource-servers.js';
import { ClientCredentials } from './oauth/client-credentials.js';
import { UserPoolDomains } from './managed-login/domains.js';
import { UiCustomizations } from './managed-login/ui-customization.js';
import { ManagedLoginBrandings } from './managed-login/branding.js';
import { Terms } from './managed-login/terms.js';
import { Authorizations } from './hosted/authorization.js';
import { LoginSessions } from './hosted/login-sessions.js';
import { IdentityProviders } from './federation/identity-providers.js';
import { ProviderLinks } from './federation/provider-links.js';
import { FederatedUsers } from './federation/federated-users.js';
import { FederatedSignIns } from './federation/federated-sign-in.js';
import { OAuthUpstream } from './federation/oauth-upstream.js';
import { SamlSigningKeys } from './federation/saml-signing-keys.js';
import { ImportJobs } from './imports/import-jobs.js';
import { ImportRunner } from './imports/import-runner.js';
import { UploadUrls } from './imports/upload-urls.js';
import type { ImportJobRecord } from '../storage/types.js';
import type { DeliveryOutcomes } from './messages/reporting.js';
import { LogDestinations, type LogDeliveryWarn } from './log-delivery/destinations.js';
import { PoolLogs } from './log-delivery/pool-logs.js';

/** The domain, assembled once per server: what operations are handed. */
export interface Services {
  readonly pools: UserPools;
  /** Multi-Region replication: which regions' nodes serve a pool, and as which issuer. */
  readonly replicas: PoolReplicas;
  readonly clients: AppClients;
  readonly users: Users;
  readonly groups: Groups;
  readonly tokens: Tokens;
  readonly authentication: Authentication;
  /** A user's second factors, as sign-in and GetUser see them. */
  readonly secondFactors: SecondFactors;
  /** The MFA operations: pool configuration, preferences, TOTP enrolment. */
  readonly mfa: MfaSettings;
  readonly selfService: SelfService;
  readonly ownAttributes: OwnAttributes;
  readonly signingKeys: SigningKeys;
  readonly issuers: Issuers;
  readonly devices: Devices;
  /** WebAuthn credentials: registration, the user's list, and sign-in assertions. */
  readonly passkeys: Passkeys;
  /** Seals secrets at rest with the server key. */
  readonly secretBox: SecretBox;
  readonly triggers: Triggers;
  readonly resourceServers: ResourceServers;
  readonly clientCredentials: ClientCredentials;
  // managed login configuration (domains, branding, terms)
  readonly userPoolDomains: UserPoolDomains;
  /** The classic hosted UI's CSS and logo. */
  readonly uiCustomizations: UiCustomizations;
  readonly managedLoginBrandings: ManagedLoginBrandings;
  readonly terms: Terms;
  // hosted sign-in
  /** The OAuth authorization code and implicit grants behind /oauth2/authorize and /oauth2/token. */
  readonly authorizations: Authorizations;
  /** The managed login pages' single sign-on cookie. */
  readonly loginSessions: LoginSessions;
  // federation
  /** The pool's OIDC, SAML and social identity providers. */
  readonly identityProviders: IdentityProviders;
  /** AdminLinkProviderForUser and AdminDisableProviderForUser. */
  readonly providerLinks: ProviderLinks;
  /** The pool's SAML signing certificate. */
  readonly samlSigningKeys: SamlSigningKeys;
  /** Sign-in through a provider, from /oauth2/authorize to /oauth2/idpresponse or /saml2/idpresponse. */
  readonly federatedSignIns: FederatedSignIns;
  // moving users in
  /** Cognito's user import jobs. */
  readonly importJobs: ImportJobs;
  /** Runs started import jobs; the server starts it and closes it. */
  readonly importRunner: ImportRunner;
  /** The messages kept for the console in development mode. */
  readonly outbox: MessageOutbox;
  /** Sign-in events, as the console's activity pages show them. */
  readonly authEvents: AuthEvents;
  /** SetLogDeliveryConfiguration's logs, written to the destinations the config maps. */
  readonly poolLogs: PoolLogs;
  /** Session tracking: the pool's and clients' session configuration, and each user's token sessions. */
  readonly userSessions: UserSessions;
  /** Per-pool request rates by Cognito quota category (Get/UpdateProvisionedLimit). */
  readonly provisionedLimits: ProvisionedLimits;
  /** SetRiskConfiguration's settings, per pool and app client. */
  readonly riskConfigurations: RiskConfigurations;
  /** AdminListUserAuthEvents and the feedback on events. */
  readonly userAuthEvents: UserAuthEvents;
}

export interface ServiceDependencies {
  storage: Storage;
  clock: Clock;
  config: Pick<GatehouseConfig, 'region' | 'accountId' | 'argon2' | 'tokenIssuer' | 'attemptLimits' | 'lambda' | 'loginDomainBase' | 'federation' | 'imports' | 'logDelivery' | 'rateLimits' | 'threatProtection' | 'authEventRetentionDays'>;
  /** Read late: with `--port 0` the address is known only once the server listens. */
  publicUrl: () => string;
  delivery: MessageDelivery;
  secretBox: SecretBox;
  /** Runs the functions pools name in their LambdaConfig. */
  invoker: FunctionInvoker;
  /** Encrypts codes for the custom sender triggers. */
  sealer: CodeSealer;
  /** Told of every trigger invocation, for the log and /metrics. */
  onInvocation?: (record: InvocationRecord) => void;
  /** How many password hashes may run at once in this process (default: one per core). */
  hashSlots?: number;
  /** Told of import jobs' log lines (rows not imported, each job's end). */
  onImportLog?: (job: ImportJobRecord, line: string) => void;
  /** Each message's fate, as the delivery reports it, for the pools' userNotification logs. */
  deliveryOutcomes?: DeliveryOutcomes;
  /** Told when log delivery loses records (an unmapped ARN, a failing destination). */
  onLogDeliveryWarning?: LogDeliveryWarn;
}

export function createServices(dependencies: ServiceDependencies): Services {
  const { storage, clock, config, publicUrl, delivery, secretBox, invoker, sealer, onInvocation, hashSlots, onImportLog } = dependencies;
  const triggers = new Triggers(invoker, { region: config.region, timeoutMs: config.lambda.timeoutMs, onInvocation });
  const userTriggers = new UserTriggers(triggers);
  const messenger = new Messenger(delivery, triggers, sealer);
  const signingKeys = new SigningKeys(storage, secretBox, clock);
  const replicas = new PoolReplicas(storage, clock, config, publicUrl);
  const pools = new UserPools(storage, signingKeys, clock, config, replicas);
  const resourceServers = new ResourceServers(storage, pools, clock);
  const clients = new AppClients(storage, pools, secretBox, clock, resourceServers);
  const credentials = new PasswordCredentials(new PasswordHasher(config.argon2, hashSlots), secretBox);
  const codes = new VerificationCodes(storage, messenger, secretBox, clock);
  const users = new Users(storage, pools, credentials, codes, messenger, userTriggers, clock);
  const groups = new Groups(storage, pools, users, clock);
  const devices = new Devices(storage, secretBox, clock, config.region, config.accountId);
  const issuers = new Issuers(publicUrl, config.tokenIssuer);
  const userSessions = new UserSessions(storage, pools, clients, clock);
  const tokens = new Tokens(storage, issuers, secretBox, clock, triggers, userSessions, replicas);
  const secondFactors = new SecondFactors(users, secretBox, clock);
  const userPoolDomains = new UserPoolDomains(storage, pools, clock, config, config.loginDomainBase);
  const passkeys = new Passkeys(storage, users, userPoolDomains, clock);
  const authEvents = new AuthEvents(storage, users, clock, config.authEventRetentionDays);
  const risk = threatProtection({ storage, clock, pools, clients, users, authEvents, secretBox, delivery, publicUrl, config: config.threatProtection });
  const authentication = signIn({ storage, clock, clients, users, tokens, credentials, devices, secondFactors, codes, secretBox, passkeys, triggers: userTriggers, functions: triggers, events: authEvents, userSessions, threats: risk.threats });
  const attemptLimits = new AttemptLimits(storage, clock, config.attemptLimits);
  const selfService = new SelfService(clients, users, codes, attemptLimits, credentials, authentication, secretBox, userTriggers, risk.threats);
  const ownAttributes = new OwnAttributes(authentication, clients, users, codes, attemptLimits);
  const mfa = new MfaSettings(pools, users, authentication, secondFactors);
  const uiCustomizations = new UiCustomizations(storage, pools, clients, userPoolDomains, clock, publicUrl);
  const managedLoginBrandings = new ManagedLoginBrandings(storage, pools, clients, clock);
  const terms = new Terms(storage, pools, clients, clock);
  const clientCredentials = new ClientCredentials(clients, pools, resourceServers, tokens);
  const authorizations = new Authorizations(storage, clients, pools, tokens, clock);
  const identityProviders = new IdentityProviders(storage, pools, secretBox, clock, config);
  const samlSigningKeys = new SamlSigningKeys(storage, pools, secretBox, clock);
  const federatedUsers = new FederatedUsers(storage, users, groups, userTriggers, clock);
  const upstream = new OAuthUpstream(config, () => clock.now());
  const importRunner = new ImportRunner(storage, users, clock, { ...config.imports, log: onImportLog });
  const poolLogs = logDelivery(pools, authEvents, dependencies);
  return {
    pools,
    replicas,
    clients,
    users,
    groups,
    tokens,
    authentication,
    secondFactors,
    mfa,
    selfService,
    ownAttributes,
    signingKeys,
    issuers,
    secretBox,
    devices,
    passkeys,
    triggers,
    resourceServers,
    clientCredentials,
    // managed login configuration (domains, branding, terms)
    userPoolDomains,
    uiCustomizations,
    managedLoginBrandings,
    terms,
    // hosted sign-in
    authorizations,
    loginSessions: new LoginSessions(secretBox, clock),
    // federation
    identityProviders,
    providerLinks: new ProviderLinks(storage, users, identityProviders, clock),
    samlSigningKeys,
    federatedSignIns: new FederatedSignIns(storage, identityProviders, federatedUsers, upstream, samlSigningKeys, authorizations, clock),
    // moving users in
    importJobs: new ImportJobs(storage, pools, new UploadUrls(secretBox, publicUrl), clock, () => importRunner.kick()),
    importRunner,
    outbox: new MessageOutbox(storage),
    authEvents,
    poolLogs,
    userSessions,
    provisionedLimits: new ProvisionedLimits(storage, pools, clock, config.rateLimits.categories ?? {}),
    // threat protection
    riskConfigurations: risk.configurations,
    userAuthEvents: risk.userAuthEvents,
  };
}

/** Log delivery, listening to sign-in events and message outcomes. */
function logDelivery(pools: UserPools, authEvents: AuthEvents, { config, clock, deliveryOutcomes, onLogDeliveryWarning }: ServiceDependencies): PoolLogs {
  const destinations = new LogDestinations(config.logDelivery.destinations, onLogDeliveryWarning ?? (() => undefined));
  const poolLogs = new PoolLogs(pools, destinations, clock, config.accountId);
  authEvents.onEvent = (event) => poolLogs.authEvent(event);
  deliveryOutcomes?.listen((outcome) => poolLogs.notification(outcome));
  return poolLogs;
}

/** Threat protection: risk configurations, the rating and its actions, and the auth events' feedback. */
function threatProtection(parts: {
  storage: Storage;
  clock: Clock;
  pools: UserPools;
  clients: AppClients;
  users: Users;
  authEvents: AuthEvents;
  secretBox: SecretBox;
  delivery: MessageDelivery;
  publicUrl: () => string;
  config: GatehouseConfig['threatProtection'];
}): { configurations: RiskConfigurations; userAuthEvents: UserAuthEvents; threats: ThreatProtection } {
  const { storage, clock, pools, clients, users, authEvents, secretBox, delivery, publicUrl, config } = parts;
  const { breachedPasswordsUrl, locations = [] } = config;
  const configurations = new RiskConfigurations(storage, pools, clients, clock);
  const userAuthEvents = new UserAuthEvents(storage, users, secretBox, clock, publicUrl);
  const breached = breachedPasswordsUrl === undefined ? new BundledBreachedPasswords() : new RangeApiBreachedPasswords(breachedPasswordsUrl);
  const threats = new ThreatProtection(storage, authEvents, configurations, breached, new RiskNotifications(delivery), userAuthEvents, users, new Locations(locations), clock);
  return { configurations, userAuthEvents, threats };
}

/** Sign-in and its steps: sessions, the lockout, the second factor, SRP, completion, refresh. */
function signIn(parts: {
  storage: Storage;
  clock: Clock;
  clients: AppClients;
  users: Users;
  tokens: Tokens;
  credentials: PasswordCredentials;
  devices: Devices;
  secondFactors: SecondFactors;
  codes: VerificationCodes;
  secretBox: SecretBox;
  passkeys: Passkeys;
  triggers: UserTriggers;
  functions: Triggers;
  events: AuthEvents;
  userSessions: UserSessions;
  threats: ThreatProtection;
}): Authentication {
  const { storage, clock, clients, users, tokens, credentials, devices, secondFactors, codes, secretBox, passkeys, triggers, functions, events, userSessions, threats } = parts;
  const sessions = new SignInSessions(storage, clock);
  const lockout = new Lockout(storage, clock);
  const mfa = new MfaStep(sessions, secondFactors, codes, lockout);
  const completion = new SignInCompletion(sessions, users, devices, tokens, mfa, lockout, clock, triggers, threats);
  const srp = new SrpSignIn(sessions, users, credentials, devices, lockout, completion, secretBox, clock, triggers);
  const refreshing = new RefreshFlow(storage, users, tokens, userSessions);
  const customAuth = new CustomAuth(functions, triggers, users, sessions, completion, srp);
  const userAuth = new UserAuth(sessions, users, credentials, lockout, completion, srp, mfa, passkeys, triggers, secretBox);
  return new Authentication({ storage, clients, users, tokens, credentials, sessions, lockout, mfa, completion, srp, refreshing, triggers, customAuth, userAuth, events });
}
