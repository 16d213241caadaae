// Other systems' password hashes, as an import brings them: known answers made by Python's hashlib
// (PBKDF2 in passlib, PHC and Django form; scrypt in PHC form), bcrypt's published test vector, and
// argon2 of another variant and cost. Each accepts its password and nothing else.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Algorithm, hash as argon2Hash } from '@node-rs/argon2';
import { hashSchemeOf, verifyForeignHash } from '../../src/domain/passwords/foreign-hashes.js';
import { PasswordHasher } from '../../src/domain/passwords/password-hasher.js';

const PASSWORD = 'Correct-horse-1';
const VECTORS: Record<string, { hash: string; password: string; scheme: string }> = {
  passlib: { hash: '$pbkdf2-sha256$1000$c2FsdHNhbHRzYWx0MTIzNA$a7YGvQqi0TmIDXes3me3/fkwG254.I5TnBv8IKgaCYQ', password: PASSWORD, scheme: 'pbkdf2' },
  django: { hash: 'pbkdf2_sha256$1200$djangosalt$jgCo1FIEG74wUqbVFTAYuhX70Vo5sADzDSBrQ7AP1sQ=', password: PASSWORD, scheme: 'pbkdf2' },
  phcPbkdf2: {
    hash: '$pbkdf2-sha512$i=500,l=64$c2FsdHNhbHRzYWx0MTIzNA$STDGArtCjFrRVzLasG3tTpy2S6hiswp6Nh1mCX6alVt/6B/L851tZ/KHf70EwFMjifeO3K0KpUqy1HVxlbsGJA',
    password: PASSWORD,
    scheme: 'pbkdf2',
  },
  scrypt: { hash: '$scrypt$ln=10,r=8,p=1$c2FsdHNhbHRzYWx0MTIzNA$hffZTRy+mmnMX7y6xfeji7KE/qDnjGUmGkdmIBlNbzU', password: PASSWORD, scheme: 'scrypt' },
  bcrypt: { hash: '$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW', password: 'U*U', scheme: 'bcrypt' },
};

describe('foreign password hashes', () => {
  for (const [name, { hash, password, scheme }] of Object.entries(VECTORS)) {
    it(`${name}: its password and no other`, async () => {
      assert.equal(hashSchemeOf(hash), scheme);
      assert.equal(await verifyForeignHash(hash, password), true);
      assert.equal(await verifyForeignHash(hash, `${password}x`), false);
    });
  }

  it('an unknown or oversized hash is read as no hash and matches nothing', async () => {
    for (const hash of ['$md5$abc', 'plaintext', '$scrypt$ln=40,r=8,p=1$c2FsdA$aGFzaA', '$pbkdf2-sha256$99999999$c2FsdA$aGFzaA']) {
      assert.equal(hashSchemeOf(hash), undefined, hash);
      assert.equal(await verifyForeignHash(hash, 'anything'), false);
    }
  });

  it('the hasher checks them all, argon2i included, and asks for argon2id in their place', async () => {
    const hasher = new PasswordHasher({ memoryKiB: 1024, iterations: 1, parallelism: 1 });
    const argon2i = await argon2Hash(PASSWORD, { algorithm: Algorithm.Argon2i, memoryCost: 1024, timeCost: 1 });
    for (const hash of [argon2i, VECTORS.passlib!.hash, VECTORS.scrypt!.hash]) {
      assert.equal(await hasher.verify(hash, PASSWORD), true);
      assert.equal(await hasher.verify(hash, 'wrong'), false);
      assert.equal(hasher.needsRehash(hash), true);
    }
    assert.equal(hasher.needsRehash(await hasher.hash(PASSWORD)), false);
  });
});
