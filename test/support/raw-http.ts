// Byte-exact HTTP for protocol tests: the request goes out with exactly the headers and body given
// (no fetch normalisation), within a deadline, and SigV4 signatures made by the AWS SDK's own signer.
import assert from 'node:assert/strict';
import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { Agent, request, type IncomingHttpHeaders, type OutgoingHttpHeaders } from 'node:http';
import { SignatureV4 } from '@smithy/signature-v4';

export const TARGET_PREFIX = 'AWSCognitoIdentityProviderService.';
export const AWS_JSON = 'application/x-amz-json-1.1';

export interface RawRequest {
  method?: string;
  path?: string;
  headers: OutgoingHttpHeaders;
  body: Buffer | string;
}

export interface RawAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json: any;
  ms: number;
}

export class RequestTimeout extends Error {}

/** Sends one request; rejects with RequestTimeout when the whole answer takes longer than timeoutMs. */
export function sendRaw(url: string, raw: RawRequest, options: { timeoutMs?: number; agent?: Agent } = {}): Promise<RawAnswer> {
  const { timeoutMs = 10_000, agent } = options;
  const target = new URL(url);
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request({
      host: target.hostname,
      port: target.port,
      method: raw.method ?? 'POST',
      path: raw.path ?? '/',
      headers: raw.headers,
      ...(agent ? { agent } : {}),
    });
    const timer = setTimeout(() => {
      req.destroy(new RequestTimeout(`no complete answer within ${timeoutMs} ms`));
    }, timeoutMs);
    req.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      res.on('end', () => {
        clearTimeout(timer);
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json, ms: performance.now() - started });
      });
    });
    req.end(raw.body);
  });
}

/** A JSON-protocol request as the SDKs send it, unsigned. */
export function protocolRequest(url: string, operation: string, body: unknown, extraHeaders: OutgoingHttpHeaders = {}): RawRequest {
  const payload = typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
  return {
    headers: { host: new URL(url).host, 'content-type': AWS_JSON, 'x-amz-target': `${TARGET_PREFIX}${operation}`, ...extraHeaders },
    body: payload,
  };
}

/** SHA-256 (or HMAC-SHA256 given a secret) in the shape the smithy signer takes. */
type SourceData = string | ArrayBuffer | ArrayBufferView;
const bytes = (data: SourceData): Buffer =>
  typeof data === 'string' ? Buffer.from(data, 'utf8') : ArrayBuffer.isView(data) ? Buffer.from(data.buffer, data.byteOffset, data.byteLength) : Buffer.from(data);

class NodeSha256 {
  private hash!: Hash | Hmac;
  private readonly secret: Buffer | undefined;
  constructor(secret?: SourceData) {
    this.secret = secret === undefined ? undefined : bytes(secret);
    this.reset();
  }
  update(data: SourceData): void {
    this.hash.update(bytes(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
  reset(): void {
    this.hash = this.secret === undefined ? createHash('sha256') : createHmac('sha256', this.secret);
  }
}

export interface SigningOptions {
  accessKeyId: string;
  secretAccessKey: string;
  region?: string;
  service?: string;
  /** When the signature says it was made; default now. */
  date?: Date;
  /** Whether to send x-amz-content-sha256 (the SDK signer's default is to send it). */
  contentHashHeader?: boolean;
  /** Headers to send but leave out of the signature. */
  unsignedHeaders?: string[];
}

/** The request signed with SigV4 by @smithy/signature-v4, the signer the AWS SDK for JavaScript uses. */
export async function signRequest(url: string, raw: RawRequest, options: SigningOptions): Promise<RawRequest> {
  const { hostname, port } = new URL(url);
  const signer = new SignatureV4({
    credentials: { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey },
    region: options.region ?? 'us-east-1',
    service: options.service ?? 'cognito-idp',
    sha256: NodeSha256,
    applyChecksum: options.contentHashHeader ?? false,
  });
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw.headers)) if (value !== undefined) headers[name.toLowerCase()] = String(value);
  const signed = await signer.sign(
    { method: raw.method ?? 'POST', protocol: 'http:', hostname, port: Number(port), path: raw.path ?? '/', query: {}, headers, body: raw.body },
    { signingDate: options.date ?? new Date(), unsignableHeaders: new Set(options.unsignedHeaders ?? []) },
  );
  return { ...raw, headers: signed.headers };
}

/** The error type an answer names in x-amzn-ErrorType (`Type:` or `Type:uri`). */
export const errorTypeHeader = (answer: RawAnswer): string | undefined => {
  const value = answer.headers['x-amzn-errortype'];
  return typeof value === 'string' ? value.split(':')[0] : undefined;
};

/** Asserts a well-formed awsJson1_1 error answer of the given type (status 400 unless said otherwise). */
export function assertCognitoError(answer: RawAnswer, type: string, message?: RegExp | string, status = 400): void {
  assert.equal(answer.status, status, `status of ${answer.text}`);
  assert.ok(answer.json && typeof answer.json === 'object', `JSON error body: ${answer.text}`);
  assert.equal(answer.json.__type, type, answer.text);
  assert.equal(errorTypeHeader(answer), type, 'x-amzn-ErrorType names the same type');
  assert.equal(typeof answer.json.message, 'string');
  if (typeof message === 'string') assert.equal(answer.json.message, message);
  else if (message) assert.match(answer.json.message, message);
}
