import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { CognitoError } from '../domain/errors.js';

/** An operator's key pair, as the AWS SDKs and CLI are configured with. */
export interface AccessKey {
  accessKeyId: string;
  secretAccessKey: string;
}

export interface SignedRequest {
  method: string;
  /** The path and query as received, e.g. `/`. */
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

const ALGORITHM = 'AWS4-HMAC-SHA256';
const SERVICE = 'cognito-idp';
/** How far a request's X-Amz-Date may be from the server's clock. */
export const MAX_SKEW_MS = 5 * 60_000;

const AUTHORIZATION = /^AWS4-HMAC-SHA256 +Credential=([^/\s,]+)\/(\d{8})\/([a-z0-9-]+)\/([a-z0-9-]+)\/aws4_request *, *SignedHeaders=([a-z0-9;-]+) *, *Signature=([0-9a-f]{64})$/;

const fail = (type: string, message: string) => new CognitoError(type, message);

/**
 * Checks an AWS Signature Version 4 as AWS does for a JSON service: the key is known, the scope
 * names this service, the date is recent, the payload hash matches the body, and the signature
 * matches (compared in constant time). Throws AWS's own exceptions; the region is the client's.
 */
export function verifySigV4(request: SignedRequest, keys: ReadonlyMap<string, AccessKey>, nowMs: number): AccessKey {
  const authorization = header(request.headers, 'authorization');
  if (authorization === undefined) throw fail('MissingAuthenticationTokenException', 'Missing Authentication Token');
  const match = AUTHORIZATION.exec(authorization.trim());
  if (!match) throw fail('IncompleteSignatureException', `Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters for ${ALGORITHM}.`);
  const [, accessKeyId, scopeDate, region, service, signedHeaderList, signature] = match as unknown as string[];
  const key = keys.get(accessKeyId!);
  if (!key) throw fail('UnrecognizedClientException', 'The security token included in the request is invalid.');
  // Operator keys are long-term: a session token claims temporary credentials this server never issued.
  if (header(request.headers, 'x-amz-security-token') !== undefined) throw fail('UnrecognizedClientException', 'The security token included in the request is invalid.');
  if (service !== SERVICE) throw fail('InvalidSignatureException', `Credential should be scoped to correct service: '${SERVICE}'.`);
  const amzDate = header(request.headers, 'x-amz-date');
  if (amzDate === undefined || !/^\d{8}T\d{6}Z$/.test(amzDate)) throw fail('IncompleteSignatureException', "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
  if (amzDate.slice(0, 8) !== scopeDate) throw fail('InvalidSignatureException', `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${scopeDate}' != '${amzDate.slice(0, 8)}'.`);
  checkSkew(amzDate, nowMs);
  const signedHeaders = signedHeaderList!.split(';');
  if (!signedHeaders.includes('host')) throw fail('InvalidSignatureException', "'Host' must be a 'SignedHeader' in the AWS Authorization.");
  // The target names the operation: unsigned, a captured request could be replayed as another one.
  // Every AWS SDK and the CLI sign it.
  if (header(request.headers, 'x-amz-target') !== undefined && !signedHeaders.includes('x-amz-target')) {
    throw fail('InvalidSignatureException', "'X-Amz-Target' must be a 'SignedHeader' in the AWS Authorization.");
  }
  const payloadHash = sha256Hex(request.body);
  const claimedHash = header(request.headers, 'x-amz-content-sha256');
  if (claimedHash !== undefined && claimedHash !== 'UNSIGNED-PAYLOAD' && claimedHash !== payloadHash) {
    throw fail('InvalidSignatureException', 'The provided x-amz-content-sha256 header does not match what was computed.');
  }
  const scope = `${scopeDate}/${region}/${SERVICE}/aws4_request`;
  const canonical = canonicalRequest(request, signedHeaders, payloadHash);
  const stringToSign = [ALGORITHM, amzDate, scope, sha256Hex(Buffer.from(canonical, 'utf8'))].join('\n');
  const expected = hmac(signingKey(key.secretAccessKey, scopeDate!, region!), stringToSign);
  if (!timingSafeEqual(expected, Buffer.from(signature!, 'hex'))) {
    throw fail(
      'InvalidSignatureException',
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
    );
  }
  return key;
}

function checkSkew(amzDate: string, nowMs: number): void {
  const signedAt = Date.UTC(+amzDate.slice(0, 4), +amzDate.slice(4, 6) - 1, +amzDate.slice(6, 8), +amzDate.slice(9, 11), +amzDate.slice(11, 13), +amzDate.slice(13, 15));
  const minutes = MAX_SKEW_MS / 60_000;
  if (signedAt < nowMs - MAX_SKEW_MS) {
    throw fail('InvalidSignatureException', `Signature expired: ${amzDate} is now earlier than ${basicIso(nowMs - MAX_SKEW_MS)} (${basicIso(nowMs)} - ${minutes} min.)`);
  }
  if (signedAt > nowMs + MAX_SKEW_MS) {
    throw fail('InvalidSignatureException', `Signature not yet current: ${amzDate} is still later than ${basicIso(nowMs + MAX_SKEW_MS)} (${basicIso(nowMs)} + ${minutes} min.)`);
  }
}

function canonicalRequest(request: SignedRequest, signedHeaders: string[], payloadHash: string): string {
  const [path = '/', query = ''] = request.url.split('?');
  const headers = signedHeaders.map((name) => `${name}:${(header(request.headers, name) ?? '').trim().replace(/\s+/g, ' ')}\n`).join('');
  return [request.method, path, canonicalQuery(query), headers, signedHeaders.join(';'), payloadHash].join('\n');
}

/** Query parameters sorted by name then value, each already URI-encoded as sent. */
function canonicalQuery(query: string): string {
  if (query === '') return '';
  return query
    .split('&')
    .map((pair) => (pair.includes('=') ? pair : `${pair}=`))
    .sort()
    .join('&');
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

const sha256Hex = (data: Buffer) => createHash('sha256').update(data).digest('hex');
const hmac = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data, 'utf8').digest();
const derive = (secret: string, date: string, region: string) => hmac(hmac(hmac(hmac(`AWS4${secret}`, date), region), SERVICE), 'aws4_request');

/** Derived keys by secret, day and region: four HMACs that change once a day, kept instead of redone per request. */
const signingKeys = new Map<string, Buffer>();
const MAX_SIGNING_KEYS = 1000;

function signingKey(secret: string, date: string, region: string): Buffer {
  const id = `${date}\n${region}\n${secret}`;
  let key = signingKeys.get(id);
  if (!key) {
    key = derive(secret, date, region);
    if (signingKeys.size >= MAX_SIGNING_KEYS) signingKeys.clear();
    signingKeys.set(id, key);
  }
  return key;
}
const basicIso = (ms: number) => new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
