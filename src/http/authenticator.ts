import type { FastifyRequest } from 'fastify';
import type { Clock } from '../clock.js';
import { isLoopback, type GatehouseConfig } from '../config.js';
import { CognitoError } from '../domain/errors.js';
import { operationAuth } from './model/validate.js';
import { verifySigV4 } from './sigv4.js';

/**
 * Operations the service model marks as signed whose caller proves itself otherwise: GetClientToken
 * carries the client's secret, and AWS documents it as needing no IAM authorisation.
 */
const AUTHORISED_BY_CLIENT_SECRET = new Set(['GetClientToken']);

const needsSignature = (operation: string) => operationAuth(operation) === 'sigv4' && !AUTHORISED_BY_CLIENT_SECRET.has(operation);

/** Throws AWS's authentication exceptions for a request that may not call the operation. */
export type RequestAuthenticator = (operation: string, request: FastifyRequest) => void;

/**
 * The line Cognito draws: operations IAM authorises need a valid SigV4 signature by one of the
 * operator's keys; public and access-token operations go unsigned.
 *
 * Without keys (development mode) any signature will do, so what stands between a developer's
 * Gatehouse and the web pages their browser visits is where a request comes from: an IAM
 * operation is answered only when no web page of another origin sent it (its Origin, if any, is a
 * loopback origin) and, on a loopback address, only when it was addressed to a loopback name (so a
 * page whose name was rebound to 127.0.0.1 is refused). Public operations stay open to any origin,
 * as browser apps call them directly.
 */
export function requestAuthenticator(config: Pick<GatehouseConfig, 'accessKeys' | 'host'>, clock: Clock): RequestAuthenticator {
  if (config.accessKeys.length === 0) {
    const checkHost = isLoopback(config.host);
    return (operation, request) => {
      if (!needsSignature(operation)) return;
      if (!isLoopbackOrigin(request.headers.origin) || (checkHost && !isLoopbackHost(request.headers.host))) throw foreignCaller(operation);
    };
  }
  const keys = new Map(config.accessKeys.map((key) => [key.accessKeyId, key]));
  return (operation, request) => {
    if (!needsSignature(operation)) return;
    const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    verifySigV4({ method: request.method, url: request.url, headers: request.headers, body }, keys, clock.now());
  };
}

const foreignCaller = (operation: string) =>
  new CognitoError(
    'AccessDeniedException',
    `Gatehouse is in development mode (no access keys), so ${operation} is answered only for requests to a loopback address that no web page of another origin sent. Configure access keys to call it from elsewhere.`,
  );

/** `localhost`, `*.localhost`, 127.0.0.0/8 and [::1], with or without a port. */
export function isLoopbackHost(host: string | undefined): boolean {
  if (host === undefined) return true;
  const name = host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.replace(/:\d+$/, '');
  const lower = name.toLowerCase();
  return lower === 'localhost' || lower.endsWith('.localhost') || lower === '[::1]' || isLoopback(lower);
}

/** No Origin (not a browser, or a same-origin GET) or an http(s) origin on a loopback host. */
export function isLoopbackOrigin(origin: string | string[] | undefined): boolean {
  if (origin === undefined) return true;
  if (Array.isArray(origin)) return origin.every(isLoopbackOrigin);
  try {
    const url = new URL(origin);
    return (url.protocol === 'http:' || url.protocol === 'https:') && isLoopbackHost(url.host);
  } catch {
    return false;
  }
}
