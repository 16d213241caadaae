// What every managed login page shares: its query (the authorize request it carries from page to
// page), the double-submit CSRF token, the form body, and the response with its security headers.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppClient } from '../../domain/clients/app-clients.js';
import type { AuthorizeParameters } from '../../domain/hosted/authorization.js';
import type { Services } from '../../domain/services.js';
import type { Caller } from '../../domain/triggers/caller.js';
import { callerOfRequest, formBody } from '../web-requests.js';
import { decorationFor } from './branding.js';
import { cookiesOf, setCookie } from './cookies.js';
import { page } from './templates.js';

const CSRF_COOKIE = 'XSRF-TOKEN';
const CSRF_MAX_AGE = 60 * 60;

/** A page's query: the authorize parameters, and whatever else the page itself reads (username, prompt). */
export type PageQuery = AuthorizeParameters & Partial<Record<string, string>>;

export function queryOf(request: FastifyRequest): PageQuery {
  const query: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.query as Record<string, unknown>)) {
    if (typeof value === 'string') query[name] = value;
  }
  return query;
}

export const queryString = (parameters: AuthorizeParameters): string => new URLSearchParams(parameters as Record<string, string>).toString();

/** What one page hands the next: the authorize request and the page language, not its own state. */
const CARRIED: ReadonlyArray<string> = ['client_id', 'redirect_uri', 'response_type', 'scope', 'state', 'nonce', 'code_challenge', 'code_challenge_method', 'identity_provider', 'idp_identifier', 'lang'];

/** A page's URL, carrying the authorize request on, with `extra` state for that page (a username). */
export function pageUrl(path: string, parameters: PageQuery, extra: Record<string, string | undefined> = {}): string {
  const query = new URLSearchParams();
  for (const name of CARRIED) if (parameters[name] !== undefined) query.set(name, parameters[name]!);
  for (const [name, value] of Object.entries(extra)) if (value !== undefined) query.set(name, value);
  return `${path}?${query.toString()}`;
}

export const formOf = formBody;

/** The redirect URI with these parameters added to its query (undefined ones left out). */
export function withParameters(uri: string, parameters: Record<string, string | undefined>): string {
  const url = new URL(uri);
  for (const [name, value] of Object.entries(parameters)) if (value !== undefined) url.searchParams.set(name, value);
  return url.toString();
}

export const callerOf = (request: FastifyRequest, client: AppClient): Caller => callerOfRequest(request, client.clientId);

/** The double-submit CSRF token: the XSRF-TOKEN cookie, kept while it exists, echoed in every form. */
export function csrfToken(request: FastifyRequest, reply: FastifyReply): string {
  const existing = cookiesOf(request)[CSRF_COOKIE];
  if (existing && /^[A-Za-z0-9_-]{32,}$/.test(existing)) return existing;
  const token = randomBytes(32).toString('base64url');
  setCookie(reply, request, CSRF_COOKIE, token, CSRF_MAX_AGE);
  return token;
}

export function csrfMatches(request: FastifyRequest, body: URLSearchParams): boolean {
  const cookie = Buffer.from(cookiesOf(request)[CSRF_COOKIE] ?? '');
  const given = Buffer.from(body.get('_csrf') ?? '');
  return cookie.length > 0 && cookie.length === given.length && timingSafeEqual(cookie, given);
}

/** The logo and the passkey script are Gatehouse's own (/ui-assets): images and scripts stay 'self', and no script is inline. */
const CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'";

/** What a page family sets apart from the defaults: its content security policy and referrer policy. */
export interface PagePolicy {
  contentSecurityPolicy: string;
  referrerPolicy: string;
}

const LOGIN_PAGES: PagePolicy = { contentSecurityPolicy: CONTENT_SECURITY_POLICY, referrerPolicy: 'no-referrer' };

/** An HTML page that is never framed, cached or sniffed. */
export function sendPage(reply: FastifyReply, status: number, html: string, policy: PagePolicy = LOGIN_PAGES): FastifyReply {
  return reply
    .code(status)
    .header('content-type', 'text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .header('x-frame-options', 'DENY')
    .header('content-security-policy', policy.contentSecurityPolicy)
    .header('referrer-policy', policy.referrerPolicy)
    .header('x-content-type-options', 'nosniff')
    .send(html);
}

/** A page in the client's look (UI customization, branding style). */
export async function sendClientPage(services: Services, reply: FastifyReply, client: AppClient, status: number, title: string, body: string): Promise<FastifyReply> {
  return sendPage(reply, status, page({ title, ...(await decorationFor(services, client)) }, body));
}

/**
 * The notes a page shows after a redirect, named by `notice` in its query. Only these fixed texts
 * can appear, so a crafted link cannot put words on the page.
 */
const NOTICES: Record<string, string> = {
  confirmed: 'Your account is confirmed. Sign in to continue.',
  password_reset: 'Your password has been reset. Sign in with your new password.',
  resent: 'We sent you a new code.',
};

export const noticeOf = ({ notice }: PageQuery): string | undefined => (notice !== undefined && Object.hasOwn(NOTICES, notice) ? NOTICES[notice] : undefined);
