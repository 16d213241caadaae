import { randomBytes } from 'node:crypto';
import type { Clock } from '../../clock.js';
import type { AuthSessionRecord, Storage, UserRecord } from '../../storage/types.js';
import type { AppClient } from '../clients/app-clients.js';
import type { SignIn } from './sign-in.js';

/**
 * The state behind Cognito's `Session` between a challenge and its answer, kept in the database
 * so any node can take the answer, and removed when answered so each session answers once.
 */
export class SignInSessions {
  constructor(
    private readonly storage: Storage,
    private readonly clock: Clock,
  ) {}

  /** A new session for `challenge`; the id is random unless the challenge needs it to be a given value. */
  async start(client: AppClient, user: Pick<UserRecord, 'sub'>, challenge: string, state: Record<string, unknown>, id = newSessionId()): Promise<string> {
    const minutes = client.settings.AuthSessionValidity ?? 3;
    const now = this.clock.now();
    await this.storage.authSessions.insert(
      { id, poolId: client.poolId, clientId: client.clientId, sub: user.sub, challenge, state, expiresAt: now + minutes * 60_000 },
      now,
    );
    return id;
  }

  /**
   * The next step of a sign-in: the session carries the sign-in's device key, threat protection's
   * rating and, on the managed login pages, that the sign-in ends on a page rather than in tokens.
   */
  continue(signIn: SignIn, challenge: string, state: Record<string, unknown> = {}, id?: string): Promise<string> {
    const carried = { deviceKey: signIn.deviceKey, ...(signIn.hosted && { hosted: true }), ...(signIn.rating && { rating: signIn.rating }), ...(signIn.deviceName && { deviceName: signIn.deviceName }) };
    return this.start(signIn.client, signIn.user, challenge, { ...carried, ...state }, id);
  }

  /** Makes a consumed session answerable again, unchanged, so its challenge can be answered again. */
  async restore(session: AuthSessionRecord): Promise<void> {
    await this.storage.authSessions.release(session.id);
  }

  /** Whether a session that cannot be answered was answered already (rather than expired or unknown). */
  wasUsed(id: string): Promise<boolean> {
    return this.storage.authSessions.wasUsed(id, this.clock.now());
  }

  peek(id: string): Promise<AuthSessionRecord | undefined> {
    return this.storage.authSessions.get(id, this.clock.now());
  }

  consume(id: string): Promise<AuthSessionRecord | undefined> {
    return this.storage.authSessions.consume(id, this.clock.now());
  }
}

const newSessionId = () => randomBytes(96).toString('base64url');

/** SRP's SECRET_BLOCK: opaque to clients, who base64-decode and sign it; here it names the session. */
export const newSecretBlock = () => randomBytes(96).toString('base64');
