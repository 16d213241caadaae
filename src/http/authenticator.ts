import type { FastifyRequest } from 'fastify';
import type { Clock } from '../clock.js';
import { operationAuth } from './model/validate.js';
import { verifySigV4, type AccessKey } from './sigv4.js';

/** Throws AWS's authentication exceptions for a request that may not call the operation. */
export type RequestAuthenticator = (operation: string, request: FastifyRequest) => void;

/**
 * The line Cognito draws: operations IAM authorises need a valid SigV4 signature by one of the
 * operator's keys; public and access-token operations go unsigned. Without keys (development on
 * loopback only, which the configuration enforces) every request is let through.
 */
export function requestAuthenticator(accessKeys: readonly AccessKey[], clock: Clock): RequestAuthenticator {
  if (accessKeys.length === 0) return () => undefined;
  const keys = new Map(accessKeys.map((key) => [key.accessKeyId, key]));
  return (operation, request) => {
    if (operationAuth(operation) !== 'sigv4') return;
    const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    verifySigV4({ method: request.method, url: request.url, headers: request.headers, body }, keys, clock.now());
  };
}
