// The software authenticator checked against a real relying-party verifier, @simplewebauthn/server:
// what it makes must verify, and each fault it can inject must be refused for that fault's reason.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type RegistrationResponseJSON,
  type WebAuthnCredential,
} from '@simplewebauthn/server';
import { SoftwareAuthenticator, type GetOverrides } from '../support/software-authenticator.js';

const RP_ID = 'example.com';
const ORIGIN = 'https://auth.example.com';
/** Another page under the same rp.id: a browser lets it use the credential, the relying party must not. */
const SIBLING_ORIGIN = 'https://evil.example.com';

/** Options and responses cross the network as JSON; this also turns typed options into plain records. */
function overTheWire<T>(value: unknown): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

async function registrationOptions(overrides: Partial<Parameters<typeof generateRegistrationOptions>[0]> = {}) {
  return generateRegistrationOptions({
    rpName: 'Gatehouse',
    rpID: RP_ID,
    userName: 'alice',
    userID: new Uint8Array(randomBytes(16)),
    authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
    ...overrides,
  });
}

/** The relying party's check of a registration made for `options`. */
function verifyRegistration(response: RegistrationResponseJSON, options: { challenge: string }, requireUserVerification = true) {
  return verifyRegistrationResponse({ response, expectedChallenge: options.challenge, expectedOrigin: ORIGIN, expectedRPID: RP_ID, requireUserVerification });
}

/** Registers a new passkey and returns what a relying party stores for it. */
async function register(authenticator: SoftwareAuthenticator) {
  const options = await registrationOptions();
  const response = overTheWire<RegistrationResponseJSON>(authenticator.create(overTheWire(options)));
  const verification = await verifyRegistration(response, options);
  assert.equal(verification.verified, true);
  return { credential: verification.registrationInfo.credential, userId: options.user.id };
}

/** The authenticator's answer to fresh sign-in options that allow the credential. */
async function answerSignIn(authenticator: SoftwareAuthenticator, credential: WebAuthnCredential, overrides?: GetOverrides) {
  const options = await generateAuthenticationOptions({
    rpID: RP_ID,
    allowCredentials: [{ id: credential.id, transports: credential.transports }],
    userVerification: 'required',
  });
  const response = overTheWire<AuthenticationResponseJSON>(authenticator.get(overTheWire(options), overrides));
  return { challenge: options.challenge, response };
}

function verifySignIn(response: AuthenticationResponseJSON, expectedChallenge: string, credential: WebAuthnCredential) {
  return verifyAuthenticationResponse({
    response,
    expectedChallenge,
    expectedOrigin: ORIGIN,
    expectedRPID: RP_ID,
    credential,
    requireUserVerification: true,
  });
}

/** One sign-in: fresh options, the authenticator's answer, the verifier's verdict. */
async function signIn(authenticator: SoftwareAuthenticator, credential: WebAuthnCredential, overrides?: GetOverrides) {
  const { challenge, response } = await answerSignIn(authenticator, credential, overrides);
  return verifySignIn(response, challenge, credential);
}

/** Signs in untouched first, so that a refusal that follows can only come from the fault injected. */
async function assertSignInWorksWithoutFault(authenticator: SoftwareAuthenticator, credential: WebAuthnCredential) {
  const verification = await signIn(authenticator, credential);
  assert.equal(verification.verified, true);
  return { ...credential, counter: verification.authenticationInfo.newCounter };
}

describe('SoftwareAuthenticator registration, verified by @simplewebauthn/server', () => {
  it('registers a passkey with none attestation, its aaguid, UV, and a credential it then holds', async () => {
    const aaguid = Buffer.from('00112233445566778899aabbccddeeff', 'hex');
    const authenticator = new SoftwareAuthenticator({ origin: ORIGIN, aaguid });
    const options = await registrationOptions();
    const response = overTheWire<RegistrationResponseJSON>(authenticator.create(overTheWire(options)));

    const verification = await verifyRegistration(response, options);

    assert.equal(verification.verified, true);
    const info = verification.registrationInfo;
    assert.equal(info.fmt, 'none');
    assert.equal(info.aaguid, '00112233-4455-6677-8899-aabbccddeeff');
    assert.equal(info.userVerified, true);
    assert.equal(info.credential.counter, 0);
    assert.deepEqual(info.credential.transports, ['internal']);
    assert.equal(response.authenticatorAttachment, 'platform');
    assert.equal(response.response.publicKeyAlgorithm, -7);
    assert.deepEqual(authenticator.credentialIds, [response.id]);
    assert.equal(info.credential.id, response.id);
  });

  it('registers without UV when told to, which a verifier requiring UV refuses', async () => {
    const authenticator = new SoftwareAuthenticator({ origin: ORIGIN, userVerified: false });
    const options = await registrationOptions();
    const response = overTheWire<RegistrationResponseJSON>(authenticator.create(overTheWire(options)));
    const expectations = { response, expectedChallenge: options.challenge, expectedOrigin: ORIGIN, expectedRPID: RP_ID };

    await assert.rejects(verifyRegistrationResponse({ ...expectations, requireUserVerification: true }), /user could not be verified/);
    const lenient = await verifyRegistrationResponse({ ...expectations, requireUserVerification: false });
    assert.equal(lenient.verified, true);
    assert.equal(lenient.registrationInfo?.userVerified, false);
  });

  it('is refused by the verifier when registering from another origin', async () => {
    const authenticator = new SoftwareAuthenticator({ origin: ORIGIN });
    const options = await registrationOptions();
    const response = overTheWire<RegistrationResponseJSON>(authenticator.create(overTheWire(options), { origin: SIBLING_ORIGIN }));

    await assert.rejects(
      verifyRegistrationResponse({ response, expectedChallenge: options.challenge, expectedOrigin: ORIGIN, expectedRPID: RP_ID }),
      /Unexpected registration response origin "https:\/\/evil\.example\.com"/,
    );
  });
});

describe('SoftwareAuthenticator refuses creation as a browser would', () => {
  const refusal = (name: string) => (error: unknown) => error instanceof DOMException && error.name === name;

  it('refuses an rp.id that is not the host or a registrable suffix of it, unless told to skip the check', async () => {
    const authenticator = new SoftwareAuthenticator({ origin: ORIGIN });
    for (const rpID of ['other.com', 'com', 'xample.com', 'deep.auth.example.com']) {
      const options = overTheWire<Record<string, unknown>>(await registrationOptions({ rpID }));
      assert.throws(() => authenticator.create(options), refusal('SecurityError'), rpID);
    }
    for (const rpID of ['example.com', 'auth.example.com']) {
      authenticator.create(overTheWire(await registrationOptions({ rpID })));
    }
    const foreign = overTheWire<Record<string, unknown>>(await registrationOptions({ rpID: 'other.com' }));
    authenticator.create(foreign, { skipRpIdCheck: true });
    assert.equal(authenticator.credentialIds.length, 3);
  });

  it('refuses any rp.id on an IP address origin', async () => {
    const options = overTheWire<Record<string, unknown>>(await registrationOptions({ rpID: '127.0.0.1' }));
    assert.throws(() => new SoftwareAuthenticator({ origin: 'http://127.0.0.1:9229' }).create(options), refusal('SecurityError'));
  });

  it('refuses options that exclude a credential it holds, and options without ES256', async () => {
    const authenticator = new SoftwareAuthenticator({ origin: ORIGIN });
    const { credential } = await register(authenticator);
    const excluding = overTheWire<Record<string, unknown>>(await registrationOptions({ excludeCredentials: [{ id: credential.id }] }));
    assert.throws(() => authenticator.create(excluding), refusal('InvalidStateError'));

    const rsaOnly = overTheWire<Record<string, unknown>>(await registrationOptions({ supportedAlgorithmIDs: [-257] }));
    assert.throws(() => authenticator.create(rsaOnly), refusal('NotSupportedError'));
  });
});

describe('SoftwareAuthenticator authentication, verified by @simplewebauthn/server', () => {
  it('signs in with the registered passkey, its counter going up each time', async () => {
    const authenticator = new SoftwareAuthenticator({ origin: ORIGIN });
    let { credential } = await register(authenticator);

    for (const expectedCounter of [1, 2, 3]) {
      const verification = await signIn(authenticator, credential);
      assert.equal(verification.verified, true);
      assert.equal(verification.authenticationInfo.newCounter, expectedCounter);
      assert.equal(verification.authenticationInfo.userVerified, true);
      credential = { ...credential, counter: verification.authenticationInfo.newCounter };
    }
  });

  it('answers with the user handle it registered, and without an allow list (a discoverable login)', async () => {
    const authenticator = new SoftwareAuthenticator({ origin: ORIGIN });
    await register(authenticator);
    const { credential, userId } = await register(authenticator);
    const other = new SoftwareAuthenticator({ origin: ORIGIN });
    await register(other);

    const allowed = overTheWire<Record<string, unknown>>(await generateAuthenticationOptions({ rpID: RP_ID, allowCredentials: [{ id: credential.id }] }));
    const answer = overTheWire<AuthenticationResponseJSON>(authenticator.get(allowed));
    assert.equal(answer.id, credential.id, 'the allowed credential, not the first one held');
    assert.equal(answer.response.userHandle, userId);
    assert.throws(() => other.get(allowed), (error) => error instanceof DOMException && error.name === 'NotAllowedError');

    const discoverable = await generateAuthenticationOptions({ rpID: RP_ID });
    const response = overTheWire<AuthenticationResponseJSON>(authenticator.get(overTheWire(discoverable)));
    assert.ok(authenticator.credentialIds.includes(response.id));
    assert.equal(typeof response.response.userHandle, 'string');
  });

  it('is refused by the verifier when signing in from another origin', async () => {
    const authenticator = new SoftwareAuthenticator({ origin: ORIGIN });
    const credential = await assertSignInWorksWithoutFault(authenticator, (await register(authenticator)).credential);

    await assert.rejects(
      signIn(authenticator, credential, { origin: SIBLING_ORIGIN }),
      /Unexpected authentication response origin "https:\/\/evil\.example\.com"/,
    );
  });

  for (const tamper of ['signature', 'clientData'] as const) {
    it(`is refused by the verifier when the ${tamper} is tampered with after signing`, async () => {
      const authenticator = new SoftwareAuthenticator({ origin: ORIGIN });
      const credential = await assertSignInWorksWithoutFault(authenticator, (await register(authenticator)).credential);

      const verification = await signIn(authenticator, credential, { tamper });
      assert.equal(verification.verified, false);
    });
  }

  it('is refused by the verifier when its counter goes backwards, and not by a forced counter that goes forwards', async () => {
    const authenticator = new SoftwareAuthenticator({ origin: ORIGIN });
    let { credential } = await register(authenticator);
    credential = await assertSignInWorksWithoutFault(authenticator, credential);
    credential = await assertSignInWorksWithoutFault(authenticator, credential);

    await assert.rejects(signIn(authenticator, credential, { counter: 1 }), /counter value 1 was lower than expected 2/);
    const forward = await signIn(authenticator, credential, { counter: 100 });
    assert.equal(forward.authenticationInfo.newCounter, 100);
  });

  it('is refused by the verifier when an answer is replayed against a later challenge', async () => {
    const authenticator = new SoftwareAuthenticator({ origin: ORIGIN });
    const { credential } = await register(authenticator);
    const { challenge, response } = await answerSignIn(authenticator, credential);
    const first = await verifySignIn(response, challenge, credential);
    assert.equal(first.verified, true);
    const { challenge: laterChallenge } = await generateAuthenticationOptions({ rpID: RP_ID });

    await assert.rejects(
      verifySignIn(response, laterChallenge, { ...credential, counter: first.authenticationInfo.newCounter }),
      /Unexpected authentication response challenge/,
    );
  });
});
