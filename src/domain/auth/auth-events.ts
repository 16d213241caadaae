import type { Clock } from '../../clock.js';
import type { AuthEventRecord, Page, Storage } from '../../storage/types.js';
import type { AppClient } from '../clients/app-clients.js';
import { CognitoError } from '../errors.js';
import { timeOrderedId } from '../ids.js';
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
}

/** Answers that are about the request, not the user's attempt: not events. */
const NOT_ATTEMPTS = new Set(['InvalidParameterException', 'ResourceNotFoundException', 'TooManyRequestsException', 'InvalidUserPoolConfigurationException', 'UnsupportedOperationException']);

/**
 * Sign-in events: each sign-in that ends, in tokens (Pass) or in an exception about the attempt
 * (Fail, with the exception as the reason), with the client, address and device. A step that only
 * asks for another factor records nothing yet; the step that ends the sign-in records it. Keeping
 * an event never fails the sign-in it describes.
 */
export class AuthEvents {
  /** Told of each event once it is kept (log delivery exports them); must not throw. */
  onEvent: (event: AuthEventRecord) => void = () => undefined;

  constructor(
    private readonly storage: Storage,
    private readonly users: Users,
    private readonly clock: Clock,
  ) {}

  async signInStep(step: SignInStep, run: () => Promise<AuthOutcome>): Promise<AuthOutcome> {
    let outcome: AuthOutcome;
    try {
      outcome = await run();
    } catch (error) {
      if (error instanceof CognitoError && !NOT_ATTEMPTS.has(error.type)) await this.failed(step, error).catch(() => undefined);
      throw error;
    }
    const accessToken = outcome.AuthenticationResult?.AccessToken;
    if (accessToken) await this.passed(step, accessToken).catch(() => undefined);
    return outcome;
  }

  /** A pool's events, or one user's, newest first. */
  list(poolId: string, sub: string | undefined, limit: number, beforeId?: string): Promise<Page<AuthEventRecord>> {
    return this.storage.authEvents.list(poolId, sub, limit, beforeId);
  }

  private async passed(step: SignInStep, accessToken: string): Promise<void> {
    const claims = JSON.parse(Buffer.from(accessToken.split('.')[1] ?? '', 'base64url').toString('utf8')) as { sub: string; username: string; device_key?: string };
    await this.add(step, claims.sub, claims.username, { response: 'Pass', challenges: [{ name: step.factor, response: 'Success' }], ...(claims.device_key && { deviceKey: claims.device_key }) });
  }

  private async failed(step: SignInStep, error: CognitoError): Promise<void> {
    let { sub, name } = step;
    if (sub === undefined && name !== undefined) {
      const user = await this.users.find(await this.users.poolContext(step.client.poolId), name);
      sub = user?.sub;
      name = user?.username ?? name;
    }
    await this.add(step, sub ?? null, name ?? '', { response: 'Fail', reason: `${error.type}: ${error.message}`, challenges: [{ name: step.factor, response: 'Failure' }] });
  }

  private async add(step: SignInStep, sub: string | null, username: string, result: Pick<AuthEventRecord['body'], 'response' | 'reason' | 'challenges' | 'deviceKey'>): Promise<void> {
    const createdAt = this.clock.now();
    const event: AuthEventRecord = {
      eventId: timeOrderedId(createdAt),
      poolId: step.client.poolId,
      sub,
      createdAt,
      body: { type: 'SignIn', username, clientId: step.client.clientId, ipAddress: step.sourceIp ?? null, ...result },
    };
    await this.storage.authEvents.add(event);
    this.onEvent(event);
  }
}
