import type { FastifyReply, FastifyRequest } from 'fastify';

/** A request's cookies by name (the first of a repeated name). */
export function cookiesOf(request: FastifyRequest): Record<string, string> {
  const cookies: Record<string, string> = {};
  for (const pair of String(request.headers.cookie ?? '').split(';')) {
    const equals = pair.indexOf('=');
    if (equals < 0) continue;
    const name = pair.slice(0, equals).trim();
    if (name && !(name in cookies)) cookies[name] = decodeURIComponent(pair.slice(equals + 1).trim());
  }
  return cookies;
}

/** Whether the browser reached Gatehouse over https (directly, or through a proxy that says so). */
const overHttps = (request: FastifyRequest) => request.protocol === 'https' || request.headers['x-forwarded-proto'] === 'https';

/** HttpOnly always, SameSite=Lax and Path=/ unless asked otherwise, Secure whenever the page came over https. */
export function setCookie(
  reply: FastifyReply,
  request: FastifyRequest,
  name: string,
  value: string,
  maxAgeSeconds: number,
  scope: { path?: string; sameSite?: 'Lax' | 'Strict' } = {},
): void {
  const attributes = [`${name}=${encodeURIComponent(value)}`, `Path=${scope.path ?? '/'}`, 'HttpOnly', `SameSite=${scope.sameSite ?? 'Lax'}`, `Max-Age=${maxAgeSeconds}`];
  if (overHttps(request)) attributes.push('Secure');
  const existing = reply.getHeader('set-cookie');
  const list = existing === undefined ? [] : Array.isArray(existing) ? existing : [String(existing)];
  reply.header('set-cookie', [...list, attributes.join('; ')]);
}

export const clearCookie = (reply: FastifyReply, request: FastifyRequest, name: string): void => setCookie(reply, request, name, '', 0);
