import type { Clock } from '../../clock.js';
import type { AuthEventRecord, EventRiskRecord, Page, Storage } from '../../storage/types.js';
import type { AppClient } from '../clients/app-clients.js';
import { CognitoError } from '../errors.js';
import { timeOrderedId, timeOrderedPrefix } from '../ids.js';
import { decodeJws } from '../tokens/jwt-verify.js';
import type { Users } from '../users/users.js';
import type { AuthOutcome } from './sign-in.js';

/** Which factor a step of a sign-in proves, in AuthEventType's ChallengeName terms. */
export type SignInFactor = 'Password' | 'Mfa';

export interface SignInStep {
  client: AppClient;
  factor: SignInFactor;
  /** The name the user gave (a first step), or the user a session speaks for (a later one). */
  name?: string;
  sub?: string;
  sourceIp?: string | null;
  /** The user agent the attempt came with. */
  deviceName?: string;
  /** Threat protection's rating, once a step of this sign-in made it (its session carries it on). */
  rating?: SignInRating;
}

/**
 * Threat protection's rating of a sign-in, made once the user is known. Its event id is fixed then,
 * as the notification email's feedback links name it before the sign-in ends.
 */
export interface SignInRating {
  eventId: string;
  /** The address the sign-in was rated from, which its later steps' requests need not repeat. */
  ipAddress: string | null;
  risk: EventRiskRecord;
  place?: Pick<AuthEventRecord['body'], 'city' | 'country' | 'timezone'>;
}

/** A refusal that comes of threat protection's rating, which the event records. */
export class RatedRefusal extends CognitoError {
  constructor(
    type: string,
    message: string,
    readonly rating: SignInRating,
  ) {
    super(type, message);
  }
}

interface SignedIn {
  sub: string;
  username: string;
  deviceKey?: string;
}

/** Who a step signed in: its tokens' user and device, or (on the managed login pages, which make a code instead) the user. */
function signedInBy(outcome: AuthOutcome): SignedIn | undefined {
  const accessToken = outcome.AuthenticationResult?.AccessToken;
  if (accessToken) {
    const { sub, username, device_key: deviceKey } = decodeJws(accessToken).claims as { sub: string; username: string; device_key?: string };
    return { sub, username, ...(deviceKey && { deviceKey }) };
  }
  const hosted = outcome.HostedSignIn?.user;
  return hosted && { sub: hosted.sub, username: hosted.username };
}

const DAY_MS = 86_400_000;
const SWEEP_INTERVAL_MS = 5 * 60_000;

/** Answers that are about the request, not the user's attempt: not events. */
const NOT_ATTEMPTS = new Set(['InvalidParameterException', 'ResourceNotFoundException', 'TooManyRequestsException', 'InvalidUserPoolConfigurationException']);

/**
 * Sign-in events: each sign-in that ends, in tokens (Pass) or in an exception about the attempt
 * (Fail, with the exception as the reason), with the client, address and device. A step that only
 * asks for another factor records nothing yet; the step that ends the sign-in records it. Keeping
 * an event never fails the sign-in it describes.
 */
export class AuthEvents {
  /** Told of each event once it is kept (log delivery exports them); must not throw. */
  onEvent: (event: AuthEventRecord) => void = () => undefined;

  /** When this process next drops expired events (epoch ms). */
  private nextSweepAt = 0;

  constructor(
    private readonly storage: Storage,
    private readonly users: Users,
    private readonly clock: Clock,
    /** 0 keeps events for ever. */
    private readonly retentionDays: number,
  ) {}

  /** An outcome's rating (`Rating`) goes into the event, never on the wire. */
  async signInStep(step: SignInStep, run: () => Promise<AuthOutcome>): Promise<AuthOutcome> {
    let rated: AuthOutcome;
    try {
      rated = await run();
    } catch (error) {
      const rating = error instanceof RatedRefusal ? error.rating : step.rating;
      if (error instanceof CognitoError && !NOT_ATTEMPTS.has(error.type)) await this.failed({ ...step, rating }, error).catch(() => undefined);
      throw error;
    }
    const { Rating: rating = step.rating, ...outcome } = rated;
    const signedIn = signedInBy(outcome);
    if (signedIn) await this.passed({ ...step, rating }, signedIn).catch(() => undefined);
    // A rated sign-in that goes on to a challenge shows as InProgress until it ends.
    else if (rating && outcome.ChallengeName) await this.inProgress({ ...step, rating }).catch(() => undefined);
    return outcome;
  }

  /** An event other than a sign-in (a sign-up, a password change), which threat protection rated. */
  async passwordEvent(event: { poolId: string; clientId: string; user: { sub: string; username: string }; type: 'SignUp' | 'PasswordChange'; risk: EventRiskRecord; refusal?: CognitoError }): Promise<void> {
    const createdAt = this.clock.now();
    const { refusal } = event;
    await this.store({
      eventId: timeOrderedId(createdAt),
      poolId: event.poolId,
      sub: event.user.sub,
      createdAt,
      body: {
        type: event.type,
        username: event.user.username,
        clientId: event.clientId,
        ipAddress: null,
        response: refusal ? 'Fail' : 'Pass',
        ...(refusal && { reason: `${refusal.type}: ${refusal.message}` }),
        challenges: [],
        risk: event.risk,
      },
    });
  }

  /**
   * Stores an event (a new one, or the one a rated sign-in began), and tells log delivery of it once
   * the attempt has ended: a rated step awaiting MFA is told when it ends. Every few minutes it drops
   * the events older than the retention: ids sort by time, so that is one range of the primary key;
   * not on every insert, which would make the sign-ins of several nodes delete the same rows.
   */
  private async store(event: AuthEventRecord, replacing = false): Promise<void> {
    await (replacing ? this.storage.authEvents.update(event) : this.storage.authEvents.add(event));
    if (event.body.response !== 'InProgress') this.onEvent(event);
    if (!replacing && this.retentionDays > 0 && event.createdAt >= this.nextSweepAt) {
      this.nextSweepAt = event.createdAt + SWEEP_INTERVAL_MS;
      await this.storage.authEvents.deleteBefore(timeOrderedPrefix(event.createdAt - this.retentionDays * DAY_MS));
    }
  }

  /** A pool's events, or one user's, newest first. */
  list(poolId: string, sub: string | undefined, limit: number, beforeId?: string): Promise<Page<AuthEventRecord>> {
    return this.storage.authEvents.list(poolId, sub, limit, beforeId);
  }

  private async passed(step: SignInStep, { sub, username, deviceKey }: SignedIn): Promise<void> {
    await this.add(step, sub, username, { response: 'Pass', challenges: [{ name: step.factor, response: 'Success' }], ...(deviceKey && { deviceKey }) });
  }

  private async failed(step: SignInStep, error: CognitoError): Promise<void> {
    const { sub, name } = await this.userOf(step);
    await this.add(step, sub, name, { response: 'Fail', reason: `${error.type}: ${error.message}`, challenges: [{ name: step.factor, response: 'Failure' }] });
  }

  private async inProgress(step: SignInStep): Promise<void> {
    const { sub, name } = await this.userOf(step);
    await this.add(step, sub, name, { response: 'InProgress', challenges: [{ name: step.factor, response: 'Success' }] });
  }

  /** The user a step names: a first step has only the name given, which may be an alias. */
  private async userOf(step: SignInStep): Promise<{ sub: string | null; name: string }> {
    if (step.sub !== undefined || step.name === undefined) return { sub: step.sub ?? null, name: step.name ?? '' };
    const user = await this.users.find(await this.users.poolContext(step.client.poolId), step.name);
    return { sub: user?.sub ?? null, name: user?.username ?? step.name };
  }

  /** A rated sign-in keeps its event id, so a wrong MFA code and the right one after it make one event. */
  private async add(step: SignInStep, sub: string | null, username: string, result: Pick<AuthEventRecord['body'], 'response' | 'reason' | 'challenges' | 'deviceKey'>): Promise<void> {
    const { rating } = step;
    const earlier = rating && (await this.storage.authEvents.get(step.client.poolId, rating.eventId));
    const createdAt = earlier?.createdAt ?? this.clock.now();
    const event: AuthEventRecord = {
      eventId: rating?.eventId ?? timeOrderedId(createdAt),
      poolId: step.client.poolId,
      sub,
      createdAt,
      body: {
        type: 'SignIn',
        username,
        clientId: step.client.clientId,
        ipAddress: rating ? rating.ipAddress : (step.sourceIp ?? null),
        ...(step.deviceName && { deviceName: step.deviceName }),
        ...rating?.place,
        ...result,
        ...(rating && { risk: rating.risk }),
        ...(earlier?.body.feedback && { feedback: earlier.body.feedback }),
      },
    };
    await this.store(event, Boolean(earlier));
  }
}
