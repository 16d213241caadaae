/**
 * The storage contract. Domain services depend on this and nothing else of the database:
 * records are plain objects, times are epoch milliseconds, JSON documents are already parsed.
 */

export interface PoolRecord {
  id: string;
  name: string;
  /** The pool's configuration in Cognito's own shape (UserPoolType minus the computed fields). */
  config: Record<string, unknown>;
  tags: Record<string, string>;
  /** Maintained by the storage as users come and go; ignored on writes. */
  userCount: number;
  createdAt: number;
  updatedAt: number;
  /** Counts the record's writes: an update lands only on the version it was read at. */
  version: number;
}

export interface ClientRecord {
  clientId: string;
  poolId: string;
  name: string;
  /**
   * The client's secrets (up to two, for rotation) as one JSON list, sealed with the server key
   * (context `client-secret:<clientId>`); rows from before rotation hold the one secret alone.
   */
  secret: string | null;
  /** The client's configuration in Cognito's shape (UserPoolClientType minus ids, name, secret, dates). */
  config: Record<string, unknown>;
  createdAt: number;
  updatedAt: number;
  version: number;
}

export type KeyPurpose = 'id' | 'access';

export interface SigningKeyRecord {
  kid: string;
  poolId: string;
  purpose: KeyPurpose;
  /** PKCS#8 PEM sealed with the server key (context `signing-key:<kid>`). */
  privateKeyPem: string;
  publicJwk: Record<string, unknown>;
  createdAt: number;
}

export const USER_STATUSES = ['UNCONFIRMED', 'CONFIRMED', 'FORCE_CHANGE_PASSWORD', 'RESET_REQUIRED', 'ARCHIVED', 'COMPROMISED', 'UNKNOWN', 'EXTERNAL_PROVIDER'] as const;
export type UserStatus = (typeof USER_STATUSES)[number];

export interface UserRecord {
  poolId: string;
  /** The immutable UUID. */
  sub: string;
  /** The username as stored and returned. */
  username: string;
  /** What uniqueness and lookups compare: the username, lower-cased in case-insensitive pools. */
  usernameKey: string;
  status: UserStatus;
  enabled: boolean;
  /** argon2id PHC string, or null for users without a password. */
  passwordHash: string | null;
  /** When a temporary password stops working (epoch ms), or null. */
  passwordExpiresAt: number | null;
  /** The SRP salt and verifier for the current password, sealed with the server key; null without a password. */
  srpVerifier: string | null;
  /** Every attribute except sub, by name. */
  attributes: Record<string, string>;
  /** Per-user settings later issues add (MFA preferences and the like), as one document. */
  settings: Record<string, unknown>;
  createdAt: number;
  updatedAt: number;
  /** Counts the record's writes: an update lands only on the version it was read at. */
  version: number;
}

/**
 * What the lockout keeps of a user, apart from the record: failed sign-ins in a row and when the
 * last one was, and how many attempts are being checked right now (and when the last one began).
 */
export interface SignInAttempts {
  failures: number;
  lastFailureAt: number | null;
  inFlight: number;
  lastStartedAt: number | null;
}

/** A sign-in name only one user may hold: an email, phone number or preferred_username. */
export interface AliasKey {
  kind: string;
  key: string;
}

/** A user as written: the record plus the unique names and search values it holds. */
export interface UserWrite {
  user: UserRecord;
  aliases: AliasKey[];
  /** ListUsers filter values, by attribute name. */
  search: Record<string, string>;
}

export interface UserFilter {
  attribute: string;
  value: string;
  prefix: boolean;
}

export interface Page<T> {
  items: T[];
  /** The key to continue after, when more may follow. */
  nextKey?: string;
}

export interface PoolStore {
  /** Inserts a pool with its signing keys in one transaction. */
  insert(pool: PoolRecord, keys: SigningKeyRecord[]): Promise<void>;
  get(id: string): Promise<PoolRecord | undefined>;
  /**
   * Writes name, config, tags and updatedAt, and moves the version on, if the stored version is
   * still `pool.version`; false when the pool is gone or was written since it was read.
   */
  update(pool: PoolRecord): Promise<boolean>;
  /** Deletes the pool and everything in it; false when it did not exist. */
  delete(id: string): Promise<boolean>;
  /** Pools in id order, strictly after `afterId`. */
  list(limit: number, afterId?: string): Promise<Page<PoolRecord>>;
  findByName(name: string): Promise<PoolRecord[]>;
}

export interface ClientStore {
  insert(client: ClientRecord): Promise<void>;
  get(poolId: string, clientId: string): Promise<ClientRecord | undefined>;
  /** Writes name, secret, config and updatedAt if the stored version is still `client.version`; false when gone or written since. */
  update(client: ClientRecord): Promise<boolean>;
  delete(poolId: string, clientId: string): Promise<boolean>;
  findByName(poolId: string, name: string): Promise<ClientRecord | undefined>;
  /** Client ids are unique across pools, so public operations find a client by id alone. */
  findById(clientId: string): Promise<ClientRecord | undefined>;
  /** Clients of one pool in id order, strictly after `afterId`. */
  list(poolId: string, limit: number, afterId?: string): Promise<Page<ClientRecord>>;
  /** Every client that has a secret, across pools (for sealing secrets kept in the clear). */
  listWithSecrets(): Promise<ClientRecord[]>;
}

export interface UserStore {
  /**
   * Inserts new users and replaces existing ones (with their aliases and search values) in one
   * transaction. A replaced user must still be at the version it was read at: otherwise nothing is
   * written and the answer is false. A username or alias another user holds fails the whole write
   * with DuplicateKeyError.
   */
  write(writes: UserWrite[], inserting: ReadonlySet<string>): Promise<boolean>;
  getBySub(poolId: string, sub: string): Promise<UserRecord | undefined>;
  getByUsername(poolId: string, usernameKey: string): Promise<UserRecord | undefined>;
  getByAlias(poolId: string, alias: AliasKey): Promise<UserRecord | undefined>;
  delete(poolId: string, sub: string): Promise<boolean>;
  getSignInAttempts(poolId: string, sub: string): Promise<SignInAttempts | undefined>;
  /** Replaces the attempts with `next` if they are still `expected`: false when another attempt changed them first. */
  swapSignInAttempts(poolId: string, sub: string, expected: SignInAttempts, next: SignInAttempts): Promise<boolean>;
  /** Users by username key, or by one filter's value; `after` is the key a previous page ended on. */
  list(poolId: string, limit: number, filter?: UserFilter, after?: string): Promise<Page<UserRecord>>;
}

/** One sign-in's refresh token and the tokens minted from it. */
export interface TokenFamilyRecord {
  originJti: string;
  poolId: string;
  clientId: string;
  sub: string;
  /** SHA-256 of the refresh token; the token itself is never stored. */
  refreshHash: string;
  deviceKey: string | null;
  /** When the user authenticated (epoch ms); refreshes keep it. */
  authTime: number;
  expiresAt: number;
  revoked: boolean;
  /** With rotation: the refresh token the current one replaced, honoured until previousValidUntil. */
  previousRefreshHash: string | null;
  previousValidUntil: number | null;
  /** The scopes an OAuth sign-in granted, which every token of the family carries; null for the API's sign-ins. */
  scopes: string[] | null;
}

export interface TokenFamilyStore {
  insert(family: TokenFamilyRecord): Promise<void>;
  /** The family whose current or previous refresh token has this hash. */
  getByRefreshHash(refreshHash: string): Promise<TokenFamilyRecord | undefined>;
  /**
   * Replaces the current refresh token if it is still `expectedHash` (so of two concurrent
   * rotations one wins); the previous token is set as given. False when another rotation won.
   */
  rotate(originJti: string, expectedHash: string, next: Pick<TokenFamilyRecord, 'refreshHash' | 'previousRefreshHash' | 'previousValidUntil'>): Promise<boolean>;
  /** The family and, in the same read, the user it belongs to (none once deleted): what checking an access token needs. */
  getWithHolder(originJti: string): Promise<{ family: TokenFamilyRecord; holder: UserRecord | undefined } | undefined>;
  revoke(originJti: string): Promise<void>;
  /** GlobalSignOut: every family of the user. */
  revokeAllForUser(poolId: string, sub: string): Promise<void>;
}

/** The state behind a Cognito `Session` between a challenge and its answer. */
export interface AuthSessionRecord {
  id: string;
  poolId: string;
  clientId: string;
  /** The user signing in; a decoy challenge for an unknown name names no stored user. */
  sub: string;
  challenge: string;
  state: Record<string, unknown>;
  expiresAt: number;
}

export interface AuthSessionStore {
  /** Stores a session, replacing one with its id; sessions expired by `now` are swept now and then. */
  insert(session: AuthSessionRecord, now: number): Promise<void>;
  /** The session if it exists, is unused and has not expired, left in place. */
  get(id: string, now: number): Promise<AuthSessionRecord | undefined>;
  /** Marks the session used and returns it, if it was unused and has not expired: a session answers once. */
  consume(id: string, now: number): Promise<AuthSessionRecord | undefined>;
  /** Makes a consumed session answerable again. */
  release(id: string): Promise<void>;
  /**
   * Records a used session under an id no unexpired session has: true for the first claim of the id
   * on any node, false for every later one until it expires (a one-time assertion seen twice).
   */
  claim(session: AuthSessionRecord, now: number): Promise<boolean>;
  /** Whether the session exists, unexpired, and was used already. */
  wasUsed(id: string, now: number): Promise<boolean>;
}

/** A device a user signed in from: remembered devices can skip MFA and authenticate by SRP. */
export interface DeviceRecord {
  poolId: string;
  /** `<region>_<uuid>`, unique across the service. */
  deviceKey: string;
  sub: string;
  groupKey: string;
  /** The device's SRP salt and verifier, sealed with the server key; null until ConfirmDevice. */
  verifier: string | null;
  name: string | null;
  remembered: boolean;
  lastIp: string | null;
  createdAt: number;
  updatedAt: number;
  lastAuthenticatedAt: number | null;
}

export type DevicePatch = Partial<Pick<DeviceRecord, 'verifier' | 'name' | 'remembered' | 'lastIp' | 'updatedAt' | 'lastAuthenticatedAt'>>;

export interface DeviceStore {
  insert(device: DeviceRecord): Promise<void>;
  get(poolId: string, deviceKey: string): Promise<DeviceRecord | undefined>;
  /** Changes only the fields given; false when the device is gone. */
  patch(poolId: string, deviceKey: string, changes: DevicePatch): Promise<boolean>;
  delete(poolId: string, deviceKey: string): Promise<boolean>;
  /** A user's confirmed, remembered devices in device-key order, strictly after `afterKey`. */
  listRemembered(poolId: string, sub: string, limit: number, afterKey?: string): Promise<Page<DeviceRecord>>;
  /** Every device of a user, remembered or not, confirmed or not (what a pool export carries). */
  listAll(poolId: string, sub: string): Promise<DeviceRecord[]>;
}

export interface VerificationCodeRecord {
  poolId: string;
  sub: string;
  /** 'signup', 'forgot_password', or 'verify:<attribute>'. */
  purpose: string;
  codeHash: string;
  /** The attribute the code was sent to, which a correct code verifies. */
  destinationAttribute: string;
  expiresAt: number;
  /** Guesses taken and not given back (a right guess is given back). */
  failedAttempts: number;
}

export interface VerificationCodeStore {
  /** Sets the user's one code for this purpose, replacing any earlier one. */
  put(code: VerificationCodeRecord): Promise<void>;
  get(poolId: string, sub: string, purpose: string): Promise<VerificationCodeRecord | undefined>;
  /**
   * Takes one guess at the code atomically, if fewer than `maxGuesses` are taken: the code with
   * the guess counted, so that any number of parallel guesses compare at most `maxGuesses` times.
   * Undefined when there is no code or no guess left.
   */
  takeGuess(poolId: string, sub: string, purpose: string, maxGuesses: number): Promise<VerificationCodeRecord | undefined>;
  /** Deletes the code if it is still the one with `codeHash`: true for the one caller that did. */
  remove(poolId: string, sub: string, purpose: string, codeHash: string): Promise<boolean>;
  delete(poolId: string, sub: string, purpose: string): Promise<void>;
}

export interface AttemptCountStore {
  /**
   * Counts one attempt at `action` by a user, atomically, and returns how many fall in the current
   * window (which starts afresh once `windowMs` has passed since it began).
   */
  count(poolId: string, sub: string, action: string, now: number, windowMs: number): Promise<number>;
}

/** A user pool group: a name users are placed under, with what their tokens make of it. */
export interface GroupRecord {
  poolId: string;
  /** The name as created and returned. */
  name: string;
  /** What uniqueness and lookups compare: the name lower-cased. */
  nameKey: string;
  description: string | null;
  /** Lower wins; null ranks after every number. */
  precedence: number | null;
  roleArn: string | null;
  createdAt: number;
  updatedAt: number;
  version: number;
}

export interface GroupStore {
  /** A name key the pool already has fails with DuplicateKeyError. */
  insert(group: GroupRecord): Promise<void>;
  get(poolId: string, nameKey: string): Promise<GroupRecord | undefined>;
  /** Writes description, precedence, role and updatedAt if the stored version is still `group.version`; false when gone or written since. */
  update(group: GroupRecord): Promise<boolean>;
  /** Deletes the group and its memberships; false when it did not exist. */
  delete(poolId: string, nameKey: string): Promise<boolean>;
  /** A pool's groups in name-key order, strictly after `afterKey`. */
  list(poolId: string, limit: number, afterKey?: string): Promise<Page<GroupRecord>>;
  /** How many groups the pool has. */
  count(poolId: string): Promise<number>;
  /** Makes the user a member (already being one is not an error); false when the group or the user no longer exists. */
  addMember(group: GroupRecord, user: Pick<UserRecord, 'sub' | 'usernameKey'>): Promise<boolean>;
  removeMember(group: GroupRecord, user: Pick<UserRecord, 'sub' | 'usernameKey'>): Promise<void>;
  /** A group's members in username-key order, strictly after `afterKey`. */
  listMembers(poolId: string, nameKey: string, limit: number, afterKey?: string): Promise<Page<UserRecord>>;
  /** A user's groups in name-key order, strictly after `afterKey`. */
  listForUser(poolId: string, sub: string, limit: number, afterKey?: string): Promise<Page<GroupRecord>>;
  /** Every group of a user (Cognito allows a user 100), in one indexed read: what tokens are minted from. */
  allForUser(poolId: string, sub: string): Promise<GroupRecord[]>;
}

export interface SigningKeyStore {
  listForPool(poolId: string): Promise<SigningKeyRecord[]>;
  /** Every pool's keys, for sealing keys kept in the clear. */
  listAll(): Promise<SigningKeyRecord[]>;
  /** Replaces a key's stored private key (the same key, sealed). */
  replacePrivateKey(kid: string, privateKeyPem: string): Promise<void>;
}

/**
 * A piece of a pool's configuration kept beside the pool: a resource server under its identifier,
 * a domain under its name, and so on. `domain` keys are unique across all pools.
 */
export interface PoolDocumentRecord<Body = unknown> {
  poolId: string;
  kind: PoolDocumentKind;
  key: string;
  body: Body;
  createdAt: number;
  updatedAt: number;
  version: number;
}

/**
 * `ui-customization` is keyed by client id (or ALL), `risk-configuration` too, `managed-login-branding` by branding id, `terms` by terms id,
 * `identity-provider` by provider name, `saml-signing-key` by `current` (the pool's one SAML certificate),
 * `client-session` by client id (SetUserPoolClientSessionConfiguration), `provisioned-limit` by API category,
 * `replica` by region (the primary region's and its replicas').
 */
export const POOL_DOCUMENT_KINDS = ['resource-server', 'domain', 'ui-customization', 'managed-login-branding', 'terms', 'identity-provider', 'saml-signing-key', 'client-session', 'provisioned-limit', 'replica', 'risk-configuration'] as const;
export type PoolDocumentKind = (typeof POOL_DOCUMENT_KINDS)[number];

export interface PoolDocumentStore {
  /** A key the pool (or, for domains, any pool) already has fails with DuplicateKeyError. */
  insert(document: PoolDocumentRecord): Promise<void>;
  get<Body = unknown>(poolId: string, kind: PoolDocumentKind, key: string): Promise<PoolDocumentRecord<Body> | undefined>;
  /** The document of this kind and key in whichever pool has it (a domain by its name). */
  find<Body = unknown>(kind: PoolDocumentKind, key: string): Promise<PoolDocumentRecord<Body> | undefined>;
  /** A pool's documents of one kind in key order, strictly after `afterKey`. */
  list<Body = unknown>(poolId: string, kind: PoolDocumentKind, limit: number, afterKey?: string): Promise<Page<PoolDocumentRecord<Body>>>;
  /** Writes the body if the document is still at `version`; false otherwise (or when it is gone). */
  update(document: PoolDocumentRecord): Promise<boolean>;
  delete(poolId: string, kind: PoolDocumentKind, key: string): Promise<boolean>;
}

/** Cognito's states of a user import job. */
export type ImportJobStatus = 'Created' | 'Pending' | 'InProgress' | 'Stopping' | 'Expired' | 'Stopped' | 'Failed' | 'Succeeded';

/** What a job reports beyond its status, and how far its run has got. */
export interface ImportJobBody {
  name: string;
  cloudWatchLogsRoleArn: string;
  /** The upload whose parts make the CSV file, once one has finished; its size in bytes and parts. */
  upload?: { id: string; parts: number; bytes: number };
  startedAt?: number;
  completedAt?: number;
  completionMessage?: string;
  imported: number;
  skipped: number;
  failed: number;
  /** Lines of the file decided so far, the header included: where a run taken over resumes. */
  linesDone: number;
}

export interface ImportJobRecord {
  poolId: string;
  jobId: string;
  status: ImportJobStatus;
  body: ImportJobBody;
  /** The runner that holds the job while it runs, and until when, unless it renews its lease. */
  leaseOwner: string | null;
  leaseUntil: number | null;
  createdAt: number;
  version: number;
}

/** A row of an import job's file that was not imported, and why: Cognito's CloudWatch log lines. */
export interface ImportLineRecord {
  line: number;
  outcome: 'SKIPPED' | 'FAILED';
  message: string;
}

export interface ImportJobStore {
  insert(job: ImportJobRecord): Promise<void>;
  get(poolId: string, jobId: string): Promise<ImportJobRecord | undefined>;
  /** A pool's jobs in job-id (creation) order, strictly after `afterId`. */
  list(poolId: string, limit: number, afterId?: string): Promise<Page<ImportJobRecord>>;
  count(poolId: string): Promise<number>;
  /** Writes status, body and lease if the stored version is still `job.version`; false otherwise. */
  update(job: ImportJobRecord): Promise<boolean>;
  /** Jobs a runner may take: started and not yet run, or running under a lease that ran out. */
  runnable(now: number, limit: number): Promise<ImportJobRecord[]>;
  putFilePart(jobId: string, uploadId: string, part: number, data: Uint8Array): Promise<void>;
  getFilePart(jobId: string, uploadId: string, part: number): Promise<Uint8Array | undefined>;
  /** Drops the job's uploads other than `keepUploadId` (all of them without one). */
  dropFiles(jobId: string, keepUploadId?: string): Promise<void>;
  /** Records report lines; a line already recorded (a run taken over repeats some) is kept as it was. */
  addLines(jobId: string, lines: ImportLineRecord[]): Promise<void>;
  /** The report in line order, strictly after `afterLine`. */
  lines(jobId: string, limit: number, afterLine?: number): Promise<Page<ImportLineRecord>>;
}

/** A message as delivered, kept for the development console (the code in it included). */
export interface OutboxRecord {
  id: string;
  poolId: string;
  sentAt: number;
  message: Record<string, unknown>;
}

export interface OutboxStore {
  /** Keeps the message, and no more than `keep` of the newest. */
  add(record: OutboxRecord, keep: number): Promise<void>;
  /** The newest first. */
  recent(limit: number): Promise<OutboxRecord[]>;
}

/** Threat protection's rating of an event (EventRiskType). */
export interface EventRiskRecord {
  decision: 'NoRisk' | 'AccountTakeover' | 'Block';
  level?: 'Low' | 'Medium' | 'High';
  compromisedCredentials?: boolean;
}

/** One sign-in attempt's end, in the terms of Cognito's AuthEventType. */
export interface AuthEventRecord {
  /** Sorts by time: the newest has the greatest id. */
  eventId: string;
  poolId: string;
  /** The user, when the name given was one. */
  sub: string | null;
  createdAt: number;
  body: {
    type: 'SignIn' | 'SignUp' | 'PasswordChange';
    /** The name the user gave (or the username, once known). */
    username: string;
    response: 'Pass' | 'Fail' | 'InProgress';
    /** Why it failed: the exception answered. */
    reason?: string;
    clientId: string;
    ipAddress: string | null;
    deviceKey?: string;
    /** The user agent the attempt came with (EventContextData's DeviceName). */
    deviceName?: string;
    city?: string;
    country?: string;
    timezone?: string;
    challenges: { name: 'Password' | 'Mfa'; response: 'Success' | 'Failure' }[];
    /** Set where the pool's threat protection rated the attempt. */
    risk?: EventRiskRecord;
    /** UpdateAuthEventFeedback's and AdminUpdateAuthEventFeedback's verdict. */
    feedback?: { value: 'Valid' | 'Invalid'; provider: string; at: number };
  };
}

export interface AuthEventStore {
  add(event: AuthEventRecord): Promise<void>;
  get(poolId: string, eventId: string): Promise<AuthEventRecord | undefined>;
  /** Replaces the event's body (its feedback, its rating). */
  update(event: AuthEventRecord): Promise<void>;
  /** A pool's events, or one user's, newest first, strictly before `beforeId`. */
  list(poolId: string, sub: string | undefined, limit: number, beforeId?: string): Promise<Page<AuthEventRecord>>;
  /** Drops every pool's events older than `beforeId` (a time-ordered id prefix). */
  deleteBefore(beforeId: string): Promise<void>;
  /** A pool's events from one address, newest first, at or after `sinceId`. */
  fromAddress(poolId: string, ipAddress: string, sinceId: string, limit: number): Promise<AuthEventRecord[]>;
}

/** A token session: one sign-in's token family on a pool that tracks sessions, as ListUserSessions shows it. */
export interface UserSessionRecord {
  /** Sorts by creation: `tkn`, the time, random characters. */
  sessionId: string;
  originJti: string;
  poolId: string;
  sub: string;
  clientId: string;
  createdAt: number;
  /** The sign-in, or the latest refresh. */
  lastActiveAt: number;
  lastIp: string | null;
  deviceType: string | null;
}

export interface UserSessionStore {
  insert(session: UserSessionRecord): Promise<void>;
  /** The user's sessions whose family is neither revoked nor expired at `now`, oldest first, strictly after `afterId`. */
  listLive(poolId: string, sub: string, now: number, limit: number, afterId?: string): Promise<Page<UserSessionRecord>>;
  /** One of the user's sessions, if its family is live at `now`. */
  getLive(poolId: string, sub: string, sessionId: string, now: number): Promise<UserSessionRecord | undefined>;
  /** A refresh in the family: when, and from where. */
  touch(originJti: string, at: number, ip: string | null, deviceType: string | null): Promise<void>;
  delete(sessionId: string): Promise<void>;
  /** Every session of the pool: tracking was turned off. */
  deleteForPool(poolId: string): Promise<void>;
}

export interface Storage {
  readonly kind: 'sqlite' | 'postgres';
  readonly pools: PoolStore;
  readonly clients: ClientStore;
  readonly signingKeys: SigningKeyStore;
  readonly users: UserStore;
  readonly tokenFamilies: TokenFamilyStore;
  readonly authSessions: AuthSessionStore;
  readonly verificationCodes: VerificationCodeStore;
  readonly devices: DeviceStore;
  readonly groups: GroupStore;
  readonly attemptCounts: AttemptCountStore;
  readonly poolDocuments: PoolDocumentStore;
  readonly importJobs: ImportJobStore;
  readonly outbox: OutboxStore;
  readonly authEvents: AuthEventStore;
  readonly userSessions: UserSessionStore;
  /** True when the database answers. */
  ping(): Promise<boolean>;
  /** Whether this server can serve: the database answers and its schema is the one this code expects. */
  readiness(): Promise<'ready' | 'database unreachable' | 'migrations pending'>;
  /** The connection pool, for engines that have one. */
  poolStats(): { total: number; idle: number; waiting: number } | undefined;
  close(): Promise<void>;
}

/** A page key this store never issued (a forged or corrupted pagination token). */
export class InvalidPageKeyError extends Error {}

/** A write that hit a unique constraint: the domain turns it into the right Cognito exception. */
export class DuplicateKeyError extends Error {
  /** Which unique name clashed: 'username', or the alias kind ('email', 'phone_number', …), when known. */
  constructor(
    message: string,
    readonly key?: string,
  ) {
    super(message);
  }
}
