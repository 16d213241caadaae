// Each pool's JWKS and OIDC discovery document, as token verifiers fetch them.
import assert from 'node:assert/strict';
import { createPublicKey } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { CreateUserPoolCommand } from '@aws-sdk/client-cognito-identity-provider';
import { importJWK, jwtVerify, SignJWT } from 'jose';
import { openPrivateKey } from '../src/domain/keys/signing-keys.js';
import { backends, startTestGatehouse, type TestGatehouse } from './support/gatehouse.js';

for (const backend of backends()) {
  describe(`.well-known documents (${backend})`, () => {
    let gh: TestGatehouse;
    let poolId: string;
    before(async () => {
      gh = await startTestGatehouse(backend);
      poolId = (await gh.cognito.send(new CreateUserPoolCommand({ PoolName: 'keys' }))).UserPool!.Id!;
    });
    after(() => gh.stop());

    test('the JWKS holds two RSA-2048 signing keys with Cognito-style kids', async () => {
      const response = await fetch(`${gh.url}/${poolId}/.well-known/jwks.json`);
      assert.equal(response.status, 200);
      const { keys } = (await response.json()) as { keys: Record<string, string>[] };
      assert.equal(keys.length, 2);
      for (const jwk of keys) {
        assert.deepEqual(Object.keys(jwk).sort(), ['alg', 'e', 'kid', 'kty', 'n', 'use']);
        assert.equal(jwk.alg, 'RS256');
        assert.equal(jwk.kty, 'RSA');
        assert.equal(jwk.use, 'sig');
        assert.match(jwk.kid!, /^[A-Za-z0-9+/]{43}=$/);
        const key = createPublicKey({ key: jwk as never, format: 'jwk' });
        assert.equal(key.asymmetricKeyDetails?.modulusLength, 2048);
      }
      assert.notEqual(keys[0]!.kid, keys[1]!.kid);
    });

    test('keys are per pool, stable across requests, and private keys stay private', async () => {
      const other = (await gh.cognito.send(new CreateUserPoolCommand({ PoolName: 'other' }))).UserPool!.Id!;
      const jwks = async (id: string) => ((await (await fetch(`${gh.url}/${id}/.well-known/jwks.json`)).json()) as { keys: { kid: string; d?: string }[] }).keys;
      const first = await jwks(poolId);
      assert.deepEqual(await jwks(poolId), first);
      const otherKids = (await jwks(other)).map((k) => k.kid);
      for (const key of first) {
        assert.ok(!otherKids.includes(key.kid));
        assert.equal(key.d, undefined);
      }
      const described = await gh.call('DescribeUserPool', { UserPoolId: poolId });
      assert.ok(!JSON.stringify(described.body).includes('PRIVATE KEY'));
    });

    test('a token signed with the pool key verifies against the served JWKS', async () => {
      const [record] = await gh.server.storage.signingKeys.listForPool(poolId);
      const token = await new SignJWT({ token_use: 'id' })
        .setProtectedHeader({ alg: 'RS256', kid: record!.kid })
        .setIssuer(gh.server.services.issuers.issuer(poolId))
        .sign(openPrivateKey(record!, gh.server.services.secretBox));
      const { keys } = (await (await fetch(`${gh.url}/${poolId}/.well-known/jwks.json`)).json()) as { keys: (Record<string, string> & { kid: string })[] };
      const jwk = keys.find((k) => k.kid === record!.kid)!;
      const { payload } = await jwtVerify(token, await importJWK(jwk, 'RS256'), { issuer: `${gh.url}/${poolId}` });
      assert.equal(payload.token_use, 'id');
    });

    test('the discovery document names the issuer on the address the server listens on', async () => {
      const response = await fetch(`${gh.url}/${poolId}/.well-known/openid-configuration`);
      assert.equal(response.status, 200);
      const document = (await response.json()) as Record<string, unknown>;
      assert.equal(document.issuer, `${gh.url}/${poolId}`);
      assert.equal(document.jwks_uri, `${gh.url}/${poolId}/.well-known/jwks.json`);
      assert.deepEqual(document.id_token_signing_alg_values_supported, ['RS256']);
      assert.deepEqual(document.subject_types_supported, ['public']);
    });

    test('an unknown pool is a 404', async () => {
      assert.equal((await fetch(`${gh.url}/us-east-1_nothere00/.well-known/jwks.json`)).status, 404);
      assert.equal((await fetch(`${gh.url}/us-east-1_nothere00/.well-known/openid-configuration`)).status, 404);
    });
  });
}

describe('public URL', () => {
  test('a configured public URL becomes the issuer base', async () => {
    const gh = await startTestGatehouse('sqlite', { publicUrl: 'https://auth.example.com/' });
    try {
      const poolId = (await gh.cognito.send(new CreateUserPoolCommand({ PoolName: 'behind-proxy' }))).UserPool!.Id!;
      const document = (await (await fetch(`${gh.url}/${poolId}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
      assert.equal(document.issuer, `https://auth.example.com/${poolId}`);
    } finally {
      await gh.stop();
    }
  });
});
