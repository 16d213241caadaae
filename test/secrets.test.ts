// Secrets at rest: the database holds signing keys only sealed with the server key, and tokens still work.
import assert from 'node:assert/strict';
import { createPublicKey } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { GetUserCommand } from '@aws-sdk/client-cognito-identity-provider';
import BetterSqlite3 from 'better-sqlite3';
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from 'jose';
import { SecretBox } from '../src/domain/keys/secret-box.js';
import { openPrivateKey } from '../src/domain/keys/signing-keys.js';
import { backends, databaseFor, startTestGatehouse, type TestGatehouse } from './support/gatehouse.js';
import { adminSignIn, poolWithUser } from './support/sign-in.js';

/** Tokens of a fresh sign-in verify against the pool's JWKS, and the API accepts the access token. */
async function assertTokensWork(gh: TestGatehouse, target: Awaited<ReturnType<typeof poolWithUser>>): Promise<void> {
  const tokens = await adminSignIn(gh.cognito, target);
  const jwks = createLocalJWKSet((await (await fetch(`${gh.url}/${target.poolId}/.well-known/jwks.json`)).json()) as JSONWebKeySet);
  const { payload } = await jwtVerify(tokens.IdToken!, jwks, { issuer: `${gh.url}/${target.poolId}` });
  assert.equal(payload['cognito:username'], target.username);
  const me = await gh.cognito.send(new GetUserCommand({ AccessToken: tokens.AccessToken }));
  assert.equal(me.Username, target.username);
}

for (const backend of backends()) {
  describe(`secrets at rest (${backend})`, () => {
    let gh: TestGatehouse;
    before(async () => {
      gh = await startTestGatehouse(backend);
    });
    after(() => gh.stop());

    test('signing keys reach the database sealed, and tokens still sign and verify', async () => {
      const target = await poolWithUser(gh.cognito);
      const records = await gh.server.storage.signingKeys.listForPool(target.poolId);
      assert.equal(records.length, 2);
      for (const record of records) {
        const stored = record.privateKeyPem;
        assert.ok(SecretBox.isSealed(stored), `sealed: ${stored.slice(0, 20)}…`);
        assert.doesNotMatch(stored, /BEGIN|PRIVATE KEY/);
        const key = openPrivateKey(record, gh.server.services.secretBox);
        assert.equal(createPublicKey(key).export({ format: 'jwk' }).n, record.publicJwk.n, 'opens to the published key');
        const pemLines = key.export({ format: 'pem', type: 'pkcs8' }).toString().split('\n').filter((line) => line.length === 64);
        assert.ok(pemLines.length > 10 && pemLines.every((line) => !stored.includes(line)), 'no piece of the key in the clear');
      }
      await assertTokensWork(gh, target);
    });
  });
}

describe('signing keys stored before the server key', () => {
  test('plain PEM rows are still read, and left as they are', async () => {
    const { database, cleanup } = await databaseFor('sqlite');
    const gh = await startTestGatehouse('sqlite', { database });
    try {
      const target = await poolWithUser(gh.cognito);
      // What an older Gatehouse wrote: the private keys as plain PKCS#8 PEM.
      const records = await gh.server.storage.signingKeys.listForPool(target.poolId);
      const db = new BetterSqlite3(database);
      for (const record of records) {
        const pem = openPrivateKey(record, gh.server.services.secretBox).export({ format: 'pem', type: 'pkcs8' }).toString();
        db.prepare('UPDATE signing_keys SET private_key = ? WHERE kid = ?').run(pem, record.kid);
      }
      db.close();

      await assertTokensWork(gh, target);
      for (const record of await gh.server.storage.signingKeys.listForPool(target.poolId)) {
        assert.match(record.privateKeyPem, /^-----BEGIN PRIVATE KEY-----/);
      }
    } finally {
      await gh.stop();
      await cleanup();
    }
  });
});
