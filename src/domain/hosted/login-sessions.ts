import type { Clock } from '../../clock.js';
import type { SecretBox } from '../keys/secret-box.js';

/** Cognito's managed login session lasts an hour and cannot be changed. */
export const LOGIN_SESSION_MS = 60 * 60_000;

/** Who is signed in to a pool's managed login pages, and since when. */
export interface LoginSession {
  poolId: string;
  sub: string;
  /** When the user signed in: the auth_time of every token the session gives. */
  authTime: number;
  expiresAt: number;
  /** A sign-in through a SAML provider that signs out with it (IDPSignout): who to sign out there. */
  saml?: SamlSession;
}

export interface SamlSession {
  provider: string;
  nameId: string;
  nameIdFormat?: string;
  sessionIndex?: string;
}

const CONTEXT = 'managed-login-session';

/**
 * The managed login's single sign-on: a cookie sealed with the server key (so any node can read it
 * and nobody can forge or read it), naming the pool and user, which every app client of that pool
 * honours until it expires or the user signs out at /logout.
 */
export class LoginSessions {
  constructor(
    private readonly secrets: SecretBox,
    private readonly clock: Clock,
  ) {}

  /** A new session for a user who signed in just now. */
  seal(poolId: string, sub: string, saml?: SamlSession): { value: string; maxAgeSeconds: number; authTime: number } {
    const authTime = this.clock.now();
    const session: LoginSession = { poolId, sub, authTime, expiresAt: authTime + LOGIN_SESSION_MS, ...(saml && { saml }) };
    return { value: this.secrets.seal(JSON.stringify(session), CONTEXT), maxAgeSeconds: LOGIN_SESSION_MS / 1000, authTime };
  }

  /** The session a cookie holds, if it is genuine, unexpired and for this pool. */
  open(cookie: string | undefined, poolId: string): LoginSession | undefined {
    const session = this.read(cookie);
    return session?.poolId === poolId ? session : undefined;
  }

  /** The session a cookie holds, whichever pool it is for, if it is genuine and unexpired. */
  read(cookie: string | undefined): LoginSession | undefined {
    if (!cookie) return undefined;
    try {
      const session = JSON.parse(this.secrets.open(cookie, CONTEXT)) as LoginSession;
      return session.expiresAt > this.clock.now() ? session : undefined;
    } catch {
      return undefined;
    }
  }
}
