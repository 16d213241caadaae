// Codes for the custom sender triggers: encrypted by CodeEncryption against a KMS-compatible test
// server, then decrypted exactly as a customer's CustomEmailSender handler does (AWS's sample code).
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { AlgorithmSuiteIdentifier, buildClient, CommitmentPolicy, getClient, KMS, KmsKeyringNode } from '@aws-crypto/client-node';
import { CodeEncryption } from '../src/domain/triggers/code-encryption.js';
import { startKmsServer, type KmsServer } from './support/kms-server.js';
import { closedPort } from './support/sockets.js';

const POOL_CONTEXT = { 'userpool-id': 'us-east-1_Encrypt01' };
const HANDLER_CREDENTIALS = { accessKeyId: 'AKIDHANDLER', secretAccessKey: 'handler-secret' };

/** The handler's side: AWS's sample, with KMS clients pointed at the test server. */
async function decryptAsHandler(kms: KmsServer, policy: CommitmentPolicy, keyArn: string, code: string) {
  const { decrypt } = buildClient(policy);
  const clientProvider = getClient(KMS, { endpoint: kms.url, credentials: HANDLER_CREDENTIALS });
  const keyring = new KmsKeyringNode({ keyIds: [keyArn], clientProvider });
  const { plaintext, messageHeader } = await decrypt(keyring, Buffer.from(code, 'base64'));
  return { plaintext: plaintext.toString('utf8'), messageHeader };
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof Error);
    return error;
  }
  assert.fail('expected a rejection');
}

/** Sets environment variables for one test, restoring the previous values after. */
async function withEnv<T>(vars: Record<string, string>, run: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(vars).map((name) => [name, process.env[name]]));
  Object.assign(process.env, vars);
  try {
    return await run();
  } finally {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}

describe('code encryption for the custom sender triggers', () => {
  let kms: KmsServer;
  let encryption: CodeEncryption;
  let keyArn: string;

  before(async () => {
    kms = await startKmsServer();
    encryption = new CodeEncryption({ endpoint: kms.url });
    keyArn = await kms.createKey();
  });
  after(async () => {
    encryption.close();
    await kms.close();
  });

  test("AWS's sample handler (REQUIRE_ENCRYPT_ALLOW_DECRYPT) gets the code back", async () => {
    const code = await encryption.encrypt('123456', keyArn, POOL_CONTEXT);
    const { plaintext, messageHeader } = await decryptAsHandler(kms, CommitmentPolicy.REQUIRE_ENCRYPT_ALLOW_DECRYPT, keyArn, code);
    assert.equal(plaintext, '123456');
    assert.equal(messageHeader.encryptionContext['userpool-id'], POOL_CONTEXT['userpool-id']);
    assert.equal(messageHeader.suiteId, AlgorithmSuiteIdentifier.ALG_AES256_GCM_IV12_TAG16_HKDF_SHA512_COMMIT_KEY_ECDSA_P384);
  });

  test('a handler that requires key commitment (REQUIRE_ENCRYPT_REQUIRE_DECRYPT) decrypts it too', async () => {
    const code = await encryption.encrypt('Temp#Pass<1>', keyArn, POOL_CONTEXT);
    const { plaintext } = await decryptAsHandler(kms, CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT, keyArn, code);
    assert.equal(plaintext, 'Temp#Pass<1>');
  });

  test('the data key is made by KMS under the key ARN, bound to the pool context', async () => {
    const before = kms.calls.length;
    await encryption.encrypt('654321', keyArn, POOL_CONTEXT);
    const [call, ...more] = kms.calls.slice(before);
    assert.deepEqual(more, []);
    assert.equal(call?.operation, 'GenerateDataKey');
    assert.equal(call?.body.KeyId, keyArn);
    assert.equal(call?.body.EncryptionContext['userpool-id'], POOL_CONTEXT['userpool-id']);
    assert.equal(call?.region, 'us-east-1');
  });

  test("the sample handler runs unchanged when AWS_ENDPOINT_URL_KMS points the SDK's own clients at the server", async () => {
    const code = await encryption.encrypt('777888', keyArn, POOL_CONTEXT);
    // What the Lambda runtime provides (region, role credentials) plus the one endpoint variable.
    const env = { AWS_ENDPOINT_URL_KMS: kms.url, AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'AKIDRUNTIME', AWS_SECRET_ACCESS_KEY: 'runtime-secret' };
    const plaintext = await withEnv(env, async () => {
      const { decrypt } = buildClient(CommitmentPolicy.REQUIRE_ENCRYPT_ALLOW_DECRYPT);
      const keyring = new KmsKeyringNode({ keyIds: [keyArn] });
      return (await decrypt(keyring, Buffer.from(code, 'base64'))).plaintext.toString('utf8');
    });
    assert.equal(plaintext, '777888');
    assert.equal(kms.calls.at(-1)?.operation, 'Decrypt');
  });

  test('each key is used through a client for its own region', async () => {
    const euKey = await kms.createKey('eu-west-1');
    const before = kms.calls.length;
    const code = await encryption.encrypt('246810', euKey, POOL_CONTEXT);
    assert.deepEqual(kms.calls.slice(before).map((call) => call.region), ['eu-west-1']);
    assert.equal((await decryptAsHandler(kms, CommitmentPolicy.REQUIRE_ENCRYPT_ALLOW_DECRYPT, euKey, code)).plaintext, '246810');
  });

  test('a bare key id is used in the configured default region', async () => {
    const withRegion = new CodeEncryption({ endpoint: kms.url, region: 'us-east-1' });
    try {
      const before = kms.calls.length;
      const code = await withRegion.encrypt('135790', keyArn.slice(keyArn.lastIndexOf('/') + 1), POOL_CONTEXT);
      assert.equal(kms.calls.at(before)?.region, 'us-east-1');
      // KMS answers with the ARN, so the handler's ARN-keyed keyring finds the data key.
      assert.equal((await decryptAsHandler(kms, CommitmentPolicy.REQUIRE_ENCRYPT_ALLOW_DECRYPT, keyArn, code)).plaintext, '135790');
    } finally {
      withRegion.close();
    }
  });

  test('a handler configured with another key cannot decrypt', async () => {
    const otherKey = await kms.createKey();
    const code = await encryption.encrypt('112233', keyArn, POOL_CONTEXT);
    await assert.rejects(decryptAsHandler(kms, CommitmentPolicy.REQUIRE_ENCRYPT_ALLOW_DECRYPT, otherKey, code));
  });

  test('a key that does not exist is a clear error', async () => {
    const missing = 'arn:aws:kms:us-east-1:111122223333:key/00000000-0000-0000-0000-000000000000';
    const error = await rejection(encryption.encrypt('123456', missing, POOL_CONTEXT));
    assert.match(error.message, /could not encrypt the code under key arn:aws:kms:us-east-1:111122223333:key\/0{8}-/);
    assert.match(error.message, /NotFoundException: Key '.*' does not exist/);
  });

  test('an unreachable KMS is a clear error, within a few seconds', async () => {
    const endpoint = `http://127.0.0.1:${await closedPort()}`;
    const unreachable = new CodeEncryption({ endpoint });
    try {
      const started = Date.now();
      const error = await rejection(unreachable.encrypt('123456', keyArn, POOL_CONTEXT));
      assert.ok(Date.now() - started < 5_000, `failed after ${Date.now() - started} ms`);
      assert.match(error.message, new RegExp(`^KMS at ${endpoint} could not encrypt the code under key ${keyArn}: KMS is unreachable \\(ECONNREFUSED`));
    } finally {
      unreachable.close();
    }
  });

  test('a KMS that takes the connection but never answers fails after the request timeout, not the SDK default of minutes', async () => {
    const silent = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const hanging = new CodeEncryption({ endpoint: `http://127.0.0.1:${(silent.address() as AddressInfo).port}` });
    try {
      const started = Date.now();
      const error = await rejection(hanging.encrypt('123456', keyArn, POOL_CONTEXT));
      assert.ok(Date.now() - started < 8_000, `failed after ${Date.now() - started} ms`);
      assert.match(error.message, /: KMS did not answer within \d+ ms, in \d+ attempts$/);
    } finally {
      hanging.close();
      silent.closeAllConnections();
      silent.close();
    }
  });
});

describe('the test KMS server', () => {
  let kms: KmsServer;
  let client: KMS;
  let keyArn: string;

  before(async () => {
    kms = await startKmsServer();
    client = new KMS({ endpoint: kms.url, region: 'us-east-1', credentials: HANDLER_CREDENTIALS, maxAttempts: 1 });
    keyArn = (await client.createKey({})).KeyMetadata!.Arn!;
  });
  after(async () => {
    client.destroy();
    await kms.close();
  });

  test('a ciphertext decrypts only under the encryption context it was made with', async () => {
    const { CiphertextBlob } = await client.encrypt({ KeyId: keyArn, Plaintext: Buffer.from('secret'), EncryptionContext: { 'userpool-id': 'a' } });
    const { Plaintext, KeyId } = await client.decrypt({ CiphertextBlob, EncryptionContext: { 'userpool-id': 'a' } });
    assert.equal(Buffer.from(Plaintext!).toString('utf8'), 'secret');
    assert.equal(KeyId, keyArn);
    await assert.rejects(client.decrypt({ CiphertextBlob, EncryptionContext: { 'userpool-id': 'b' } }), { name: 'InvalidCiphertextException' });
    await assert.rejects(client.decrypt({ CiphertextBlob }), { name: 'InvalidCiphertextException' });
  });

  test('a ciphertext names its key; asking for another key is refused', async () => {
    const otherArn = (await client.createKey({})).KeyMetadata!.Arn!;
    const { CiphertextBlob } = await client.generateDataKey({ KeyId: keyArn, NumberOfBytes: 32 });
    await assert.rejects(client.decrypt({ CiphertextBlob, KeyId: otherArn }), { name: 'IncorrectKeyException' });
  });

  test('GenerateDataKey takes a KeySpec as well as NumberOfBytes', async () => {
    const { Plaintext, KeyId } = await client.generateDataKey({ KeyId: keyArn, KeySpec: 'AES_128' });
    assert.equal(Plaintext?.length, 16);
    assert.equal(KeyId, keyArn);
  });
});
