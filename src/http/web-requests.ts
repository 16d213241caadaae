import type { FastifyRequest } from 'fastify';
import { awsSdkVersionOf, type Caller } from '../domain/triggers/caller.js';

// What the browser-facing surface (the OAuth endpoints and the managed login pages) reads of a request.

/** A form POST's fields, from the raw body every route receives. */
export function formBody(request: FastifyRequest): URLSearchParams {
  return new URLSearchParams(Buffer.isBuffer(request.body) ? request.body.toString('utf8') : '');
}

/** The caller the triggers hear of: the app client, the calling SDK (if any), the request's client metadata. */
export function callerOfRequest(request: FastifyRequest, clientId: string, clientMetadata?: Record<string, string>): Caller {
  return { clientId, awsSdkVersion: awsSdkVersionOf(request.headers['user-agent']), ...(clientMetadata && { clientMetadata }) };
}

/** This server's address as the browser reached it (behind a TLS proxy: https), or undefined without a Host. */
export function requestOrigin(request: FastifyRequest): string | undefined {
  const proto = request.headers['x-forwarded-proto'] === 'https' ? 'https' : request.protocol;
  return request.headers.host ? `${proto}://${request.headers.host}` : undefined;
}
