import { randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from '../../clock.js';
import type { GatehouseConfig } from '../../config.js';
import type { SecretBox } from '../../domain/keys/secret-box.js';
import { secretMatches } from '../../domain/auth/client-checks.js';
import { cookiesOf, setCookie } from '../hosted/cookies.js';
import { requestOrigin } from '../web-requests.js';

export const CONSOLE_PATH = '/console';
const COOKIE = 'gatehouse_console';
const SESSION_MS = 8 * 3_600_000;
const CONTEXT = 'console-session';

/** An operator signed in to the console: with which access key, until when, and the token its forms carry. */
export interface OperatorSession {
  accessKeyId: string;
  csrf: string;
  expiresAt: number;
}

/**
 * The console's sign-in. With access keys configured an operator signs in with one (checked in
 * constant time) and gets a cookie sealed with the server key (any node reads it, nobody forges
 * it): HttpOnly, SameSite=Strict, Secure behind https, for eight hours. In development mode (no
 * keys) the console opens directly, as the API accepts any signature there.
 */
export class ConsoleSessions {
  constructor(
    private readonly config: Pick<GatehouseConfig, 'accessKeys'>,
    private readonly secrets: SecretBox,
    private readonly clock: Clock,
  ) {}

  get developmentMode(): boolean {
    return this.config.accessKeys.length === 0;
  }

  /** The session the request carries; in development mode a fresh one when it carries none. */
  current(request: FastifyRequest, reply: FastifyReply): OperatorSession | undefined {
    const cookie = cookiesOf(request)[COOKIE];
    if (cookie) {
      try {
        const session = JSON.parse(this.secrets.open(cookie, CONTEXT)) as OperatorSession;
        const stillValid = session.expiresAt > this.clock.now() && (this.developmentMode || this.config.accessKeys.some((key) => key.accessKeyId === session.accessKeyId));
        if (stillValid) return session;
      } catch {
        // a cookie from another key or altered: signed out
      }
    }
    return this.developmentMode ? this.start('development', request, reply) : undefined;
  }

  /** Signs in with an access key pair; undefined for any pair that is not configured. */
  signIn(accessKeyId: string, secretAccessKey: string, request: FastifyRequest, reply: FastifyReply): OperatorSession | undefined {
    let matched = false;
    for (const key of this.config.accessKeys) matched = (secretMatches(key.accessKeyId, accessKeyId) && secretMatches(key.secretAccessKey, secretAccessKey)) || matched;
    return matched ? this.start(accessKeyId, request, reply) : undefined;
  }

  signOut(request: FastifyRequest, reply: FastifyReply): void {
    setConsoleCookie(reply, request, '', 0);
  }

  /** A form post is the operator's own: its token matches the session's, and it came from this origin. */
  formIsGenuine(request: FastifyRequest, session: OperatorSession, token: string | null): boolean {
    const origin = request.headers.origin;
    if (origin !== undefined && origin !== requestOrigin(request)) return false;
    return token !== null && secretMatches(session.csrf, token);
  }

  private start(accessKeyId: string, request: FastifyRequest, reply: FastifyReply): OperatorSession {
    const session: OperatorSession = { accessKeyId, csrf: randomBytes(24).toString('base64url'), expiresAt: this.clock.now() + SESSION_MS };
    setConsoleCookie(reply, request, this.secrets.seal(JSON.stringify(session), CONTEXT), SESSION_MS / 1000);
    return session;
  }
}

const setConsoleCookie = (reply: FastifyReply, request: FastifyRequest, value: string, maxAgeSeconds: number): void =>
  setCookie(reply, request, COOKIE, value, maxAgeSeconds, { path: CONSOLE_PATH, sameSite: 'Strict' });
