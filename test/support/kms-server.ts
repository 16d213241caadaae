// A minimal KMS-compatible server (AWS JSON 1.1) for tests: the calls the Encryption SDK's KMS
// keyring makes to encrypt and decrypt (GenerateDataKey, Encrypt, Decrypt), plus CreateKey.
// Ciphertext blobs really bind the key and the encryption context (AES-256-GCM under a per-key
// secret, key ARN and context as additional data), so a wrong key or context fails as in AWS.
// Signatures are not checked; the region of each call is read from its SigV4 credential scope.
import { createCipheriv, createDecipheriv, randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readBody } from './sockets.js';

export interface KmsCall {
  operation: string;
  body: any;
  /** From the request's SigV4 credential scope: the region the client was made for. */
  region: string | undefined;
}

export interface KmsServer {
  url: string;
  /** Makes a symmetric key and returns its ARN (account 111122223333, us-east-1 unless told). */
  createKey(region?: string): Promise<string>;
  calls: KmsCall[];
  close(): Promise<void>;
}

const ACCOUNT = '111122223333';
const DEFAULT_REGION = 'us-east-1';
const KEY_ID_BYTES = 36; // a UUID, which leads every blob so Decrypt can find the key without a KeyId
const IV_BYTES = 12;
const TAG_BYTES = 16;

interface Key {
  arn: string;
  id: string;
  region: string;
  secret: Buffer;
  created: number;
}

class KmsError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

type EncryptionContext = Record<string, string> | undefined;
type Handler = (body: any, region: string | undefined) => unknown;

export async function startKmsServer(): Promise<KmsServer> {
  const keys = new Map<string, Key>(); // by key id
  const calls: KmsCall[] = [];

  const createKey = (region = DEFAULT_REGION): Key => {
    const id = randomUUID();
    const key = { id, region, arn: `arn:aws:kms:${region}:${ACCOUNT}:key/${id}`, secret: randomBytes(32), created: Date.now() / 1000 };
    keys.set(id, key);
    return key;
  };

  const findKey = (keyId: unknown): Key => {
    if (typeof keyId !== 'string' || keyId === '') throw new KmsError('ValidationException', 'KeyId is required');
    const id = keyId.startsWith('arn:') ? keyId.slice(keyId.lastIndexOf('/') + 1) : keyId;
    const key = keys.get(id);
    if (!key || (keyId.startsWith('arn:') && keyId !== key.arn)) throw new KmsError('NotFoundException', `Key '${keyId}' does not exist`);
    return key;
  };

  const handlers: Record<string, Handler> = {
    CreateKey: (_body, region) => ({ KeyMetadata: metadata(createKey(region)) }),
    GenerateDataKey: (body) => {
      const key = findKey(body.KeyId);
      const plaintext = randomBytes(dataKeyBytes(body));
      return { KeyId: key.arn, Plaintext: b64(plaintext), CiphertextBlob: b64(seal(key, plaintext, body.EncryptionContext)) };
    },
    Encrypt: (body) => {
      const key = findKey(body.KeyId);
      return { KeyId: key.arn, CiphertextBlob: b64(seal(key, blob(body.Plaintext, 'Plaintext'), body.EncryptionContext)), EncryptionAlgorithm: 'SYMMETRIC_DEFAULT' };
    },
    Decrypt: (body) => {
      const ciphertext = blob(body.CiphertextBlob, 'CiphertextBlob');
      const key = keys.get(ciphertext.subarray(0, KEY_ID_BYTES).toString('latin1'));
      if (!key) throw new KmsError('InvalidCiphertextException', 'The ciphertext refers to a key that does not exist');
      if (body.KeyId !== undefined && findKey(body.KeyId) !== key) throw new KmsError('IncorrectKeyException', 'The key ID in the request does not identify the key that encrypted the ciphertext');
      return { KeyId: key.arn, Plaintext: b64(open(key, ciphertext, body.EncryptionContext)), EncryptionAlgorithm: 'SYMMETRIC_DEFAULT' };
    },
  };

  const server = createServer((request, response) => {
    readBody(request).then(
      (text) => respond(request, response, text),
      () => response.destroy(),
    );
  });

  function respond(request: IncomingMessage, response: ServerResponse, text: string): void {
    const target = String(request.headers['x-amz-target'] ?? '');
    const operation = target.startsWith('TrentService.') ? target.slice('TrentService.'.length) : target;
    const region = /Credential=[^/]+\/\d{8}\/([^/]+)\/kms\//.exec(String(request.headers.authorization ?? ''))?.[1];
    try {
      if (request.method !== 'POST' || !target.startsWith('TrentService.')) throw new KmsError('UnknownOperationException', `Unknown operation ${target || '(no X-Amz-Target)'}`);
      if (request.headers['content-type'] !== 'application/x-amz-json-1.1') throw new KmsError('SerializationException', `Expected content-type application/x-amz-json-1.1, got ${request.headers['content-type']}`);
      const body = parseBody(text);
      calls.push({ operation, body, region });
      const handler = handlers[operation];
      if (!handler) throw new KmsError('UnknownOperationException', `Operation ${operation} is not implemented by the test KMS server`);
      send(response, 200, handler(body, region));
    } catch (error) {
      if (!(error instanceof KmsError)) throw error;
      send(response, 400, { __type: error.type, message: error.message });
    }
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    createKey: async (region) => createKey(region).arn,
    calls,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections(); // keep-alive sockets of clients the test forgot to destroy
      }),
  };
}

// --- blobs --------------------------------------------------------------------

/** key id ‖ IV ‖ tag ‖ AES-256-GCM(plaintext), with the key ARN and context as additional data. */
function seal(key: Key, plaintext: Buffer, context: EncryptionContext): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key.secret, iv).setAAD(additionalData(key, context));
  const sealed = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([Buffer.from(key.id, 'latin1'), iv, cipher.getAuthTag(), sealed]);
}

function open(key: Key, blob: Buffer, context: EncryptionContext): Buffer {
  const iv = blob.subarray(KEY_ID_BYTES, KEY_ID_BYTES + IV_BYTES);
  const tag = blob.subarray(KEY_ID_BYTES + IV_BYTES, KEY_ID_BYTES + IV_BYTES + TAG_BYTES);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key.secret, iv).setAAD(additionalData(key, context)).setAuthTag(tag);
    return Buffer.concat([decipher.update(blob.subarray(KEY_ID_BYTES + IV_BYTES + TAG_BYTES)), decipher.final()]);
  } catch {
    // As AWS: a wrong encryption context is indistinguishable from a damaged blob.
    throw new KmsError('InvalidCiphertextException', 'The ciphertext is invalid or was encrypted under another encryption context');
  }
}

/** The context's pairs in a fixed order, so the same context always gives the same bytes. */
function additionalData(key: Key, context: EncryptionContext): Buffer {
  const pairs = Object.entries(context ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Buffer.from(JSON.stringify([key.arn, pairs]), 'utf8');
}

function dataKeyBytes(body: any): number {
  if (body.NumberOfBytes !== undefined) {
    if (!Number.isInteger(body.NumberOfBytes) || body.NumberOfBytes < 1 || body.NumberOfBytes > 1024) throw new KmsError('ValidationException', 'NumberOfBytes must be from 1 to 1024');
    return body.NumberOfBytes;
  }
  if (body.KeySpec === 'AES_256') return 32;
  if (body.KeySpec === 'AES_128') return 16;
  throw new KmsError('ValidationException', 'Either KeySpec or NumberOfBytes is required');
}

// --- wire ---------------------------------------------------------------------

function metadata(key: Key): object {
  return {
    AWSAccountId: ACCOUNT,
    KeyId: key.id,
    Arn: key.arn,
    CreationDate: key.created,
    Enabled: true,
    KeyState: 'Enabled',
    KeyUsage: 'ENCRYPT_DECRYPT',
    KeySpec: 'SYMMETRIC_DEFAULT',
    CustomerMasterKeySpec: 'SYMMETRIC_DEFAULT',
    EncryptionAlgorithms: ['SYMMETRIC_DEFAULT'],
    KeyManager: 'CUSTOMER',
    Origin: 'AWS_KMS',
    MultiRegion: false,
    Description: '',
  };
}

const b64 = (bytes: Buffer): string => bytes.toString('base64');

function blob(value: unknown, field: string): Buffer {
  if (typeof value !== 'string' || value === '') throw new KmsError('ValidationException', `${field} is required`);
  return Buffer.from(value, 'base64');
}

function parseBody(text: string): any {
  try {
    return text === '' ? {} : JSON.parse(text);
  } catch {
    throw new KmsError('SerializationException', 'The request body is not JSON');
  }
}

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' }).end(JSON.stringify(body));
}
