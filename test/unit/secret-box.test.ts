import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { SecretBox, SecretBoxError } from '../../src/domain/keys/secret-box.js';

describe('SecretBox', () => {
  const box = new SecretBox(randomBytes(32));

  it('opens what it sealed, in one compact ASCII string naming the key', () => {
    const sealed = box.seal('verifier ✓', 'srp:pool:sub');
    assert.match(sealed, new RegExp(`^gh1\\.${box.keyId}\\.[A-Za-z0-9_-]+$`));
    assert.ok(SecretBox.isSealed(sealed));
    assert.equal(box.open(sealed, 'srp:pool:sub'), 'verifier ✓');
    assert.notEqual(box.seal('verifier ✓', 'srp:pool:sub'), sealed, 'a fresh IV each time');
  });

  it('does not open under another context', () => {
    const sealed = box.seal('secret', 'signing-key:a');
    assert.throws(() => box.open(sealed, 'signing-key:b'), /does not open as signing-key:b/);
  });

  it('names both keys when the server key is not the one that sealed', () => {
    const other = new SecretBox(randomBytes(32));
    const sealed = other.seal('secret', 'c');
    assert.throws(
      () => box.open(sealed, 'c'),
      (error: Error) =>
        error instanceof SecretBoxError &&
        error.message === `sealed with key ${other.keyId}, this server has key ${box.keyId}: every node must share the same server key`,
    );
  });

  it('refuses altered, truncated and foreign values', () => {
    const sealed = box.seal('secret', 'c');
    const prefix = sealed.slice(0, sealed.lastIndexOf('.') + 1);
    const bytes = Buffer.from(sealed.slice(prefix.length), 'base64url');
    for (const at of [0, 14, bytes.length - 1]) {
      const altered = Buffer.from(bytes);
      altered[at]! ^= 1;
      assert.throws(() => box.open(prefix + altered.toString('base64url'), 'c'), /altered/, `bit flipped in byte ${at}`);
    }
    assert.throws(() => box.open(sealed.slice(0, 20), 'c'), /truncated/);
    assert.throws(() => box.open('-----BEGIN PRIVATE KEY-----', 'c'), /not a value sealed by Gatehouse/);
    assert.equal(SecretBox.isSealed('-----BEGIN PRIVATE KEY-----\nMIIE'), false);
  });

  it('wants a key of at least 32 bytes', () => {
    assert.throws(() => new SecretBox(randomBytes(16)), /at least 32 bytes/);
  });
});
