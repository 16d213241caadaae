/**
 * The codes and temporary passwords Cognito gives CustomEmailSender / CustomSMSSender triggers
 * travel encrypted: an AWS Encryption SDK message under the pool's LambdaConfig.KMSKeyID, base64
 * encoded. Producing exactly that format lets a customer's handler, written against AWS's
 * documented sample (`decrypt(new KmsKeyringNode({ keyIds: [keyArn] }), …)`), run unchanged.
 */
import { buildClient, CommitmentPolicy, KmsKeyringNode } from '@aws-crypto/client-node';
import { KMS, type KMSClientConfig } from '@aws-sdk/client-kms';
import { credentialsOrPlaceholder } from './local-credentials.js';

// The committing default suite (AES-256-GCM, HKDF-SHA512, key commitment, ECDSA P-384): handlers
// built with REQUIRE_ENCRYPT_ALLOW_DECRYPT (AWS's sample) and REQUIRE_ENCRYPT_REQUIRE_DECRYPT both accept it.
const { encrypt } = buildClient(CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT);

// A code is wanted while an API call waits; a KMS that does not answer must fail that call quickly.
const MAX_ATTEMPTS = 2;
const CONNECTION_TIMEOUT_MS = 2_000;
const REQUEST_TIMEOUT_MS = 3_000;

// Socket-level failures: KMS was never reached (or never answered), so no KMS error name describes them.
const NETWORK_ERRORS = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);
const TIMEOUT_ERRORS = new Set(['ETIMEDOUT', 'TimeoutError']);

export interface CodeEncryptionOptions {
  /** The KMS API's address (config `kms.endpoint`, GATEHOUSE_KMS_ENDPOINT); by default AWS KMS in the key's region. */
  endpoint?: string;
  /** The region for a key named by bare id or alias, which carries none; a key ARN's own region always wins. */
  region?: string;
}

export class CodeEncryption {
  private readonly clients = new Map<string, KMS>();
  private readonly credentials: KMSClientConfig['credentials'];

  constructor(private readonly options: CodeEncryptionOptions = {}) {
    // Against real AWS a missing credential must fail loudly; a local server never checks them.
    this.credentials = options.endpoint ? credentialsOrPlaceholder() : undefined;
  }

  /**
   * Encrypts `code` under `kmsKeyId` (a key ARN, as Cognito's LambdaConfig.KMSKeyID always is) and
   * returns the message base64-encoded, ready for `event.request.code`. Cognito binds the message to
   * the pool with the encryption context `{ 'userpool-id': poolId }`; pass it as `context`.
   * Throws an Error naming the key and what went wrong when KMS is unreachable or refuses.
   */
  async encrypt(code: string, kmsKeyId: string, context: Record<string, string> = {}): Promise<string> {
    const keyring = new KmsKeyringNode({ generatorKeyId: kmsKeyId, clientProvider: (region) => this.client(region) });
    try {
      const { result } = await encrypt(keyring, code, { encryptionContext: context });
      return result.toString('base64');
    } catch (error) {
      const at = this.options.endpoint ? ` at ${this.options.endpoint}` : '';
      throw new Error(`KMS${at} could not encrypt the code under key ${kmsKeyId}: ${describe(error)}`, { cause: error });
    }
  }

  /** Closes the KMS clients' sockets. */
  close(): void {
    for (const client of this.clients.values()) client.destroy();
    this.clients.clear();
  }

  /** One client per region, as the keyring asks by the key's region ('' when the key id names none). */
  private client(keyRegion: string): KMS {
    // Without any region the SDK's own chain (AWS_REGION, the shared config file) decides.
    const region = keyRegion || this.options.region;
    const cacheKey = region ?? '';
    let client = this.clients.get(cacheKey);
    if (!client) {
      client = new KMS({
        region,
        endpoint: this.options.endpoint,
        credentials: this.credentials,
        maxAttempts: MAX_ATTEMPTS,
        // Without throwOnRequestTimeout the SDK only logs a warning and keeps waiting (up to 5 minutes).
        requestHandler: { connectionTimeout: CONNECTION_TIMEOUT_MS, requestTimeout: REQUEST_TIMEOUT_MS, throwOnRequestTimeout: true },
      });
      this.clients.set(cacheKey, client);
    }
    return client;
  }
}

/** KMS's own error name and message, or the socket error's code when KMS was never reached. */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && NETWORK_ERRORS.has(code)) return `KMS is unreachable (${code})`;
  if (TIMEOUT_ERRORS.has(error.name) || (typeof code === 'string' && TIMEOUT_ERRORS.has(code))) return `KMS did not answer within ${REQUEST_TIMEOUT_MS} ms, in ${MAX_ATTEMPTS} attempts`;
  // The SDK's name for an answer without a KMS error in it: something other than KMS answered.
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  if (error.name === 'Unknown' && status) return `the endpoint answered HTTP ${status}, not as the KMS API does`;
  return error.name === 'Error' ? error.message : `${error.name}: ${error.message}`;
}
