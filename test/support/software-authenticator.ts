// A FIDO2 platform authenticator (and the slice of a browser's WebAuthn client around it) in
// software, for tests that need passkeys without a browser or a device.
//
// create() and get() take the JSON options a relying party hands to the browser
// (PublicKeyCredentialCreationOptionsJSON / PublicKeyCredentialRequestOptionsJSON) and return what
// the browser's PublicKeyCredential.toJSON() would (RegistrationResponseJSON /
// AuthenticationResponseJSON), base64url everywhere. Keys are P-256 (ES256, COSE alg -7) made with
// node:crypto; attestation is always `none`, as passkey providers give by default.
//
// Like a browser, create() refuses an rp.id that is not the origin's host or a registrable suffix of
// it, an options list without ES256, and a request that excludes a credential it already holds.
// get() does not check the rpId against the origin, so that a test can hand the relying party a
// response from a wrong origin and see the relying party (not the client) refuse it.
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { isIP } from 'node:net';
import { encodeCBOR, type CBORType } from '@levischuck/tiny-cbor';

export interface SoftwareAuthenticatorOptions {
  /** The origin the "browser" is on, e.g. `https://auth.example.com`. */
  origin: string;
  /** Whether it reports user verification (the UV flag). Default true, as a passkey does. */
  userVerified?: boolean;
  /** The 16-byte model identifier it reports at registration. Default 16 zero bytes. */
  aaguid?: Buffer;
}

export interface CreateOverrides {
  /** Pretend to be on this origin instead of the constructor's. */
  origin?: string;
  /** Answer even when rp.id does not belong to the origin (a browser would refuse). */
  skipRpIdCheck?: boolean;
}

export interface GetOverrides {
  /** Pretend to be on this origin instead of the constructor's. */
  origin?: string;
  /** Report this signCount (e.g. lower than before, as a cloned authenticator would) for this answer only. */
  counter?: number;
  /** Spoil the answer after signing it, to prove the relying party checks the signature. */
  tamper?: 'signature' | 'clientData';
}

/** A credential the authenticator holds: what a passkey provider keeps per passkey. */
interface HeldCredential {
  id: Buffer;
  rpId: string;
  /** user.id from the creation options, base64url as given; returned as userHandle by get(). */
  userHandle: string;
  privateKey: KeyObject;
  signCount: number;
}

const ES256 = -7;

/** Authenticator data flag bits (WebAuthn §6.1). */
const FLAG_USER_PRESENT = 0x01;
const FLAG_USER_VERIFIED = 0x04;
const FLAG_ATTESTED_CREDENTIAL_DATA = 0x40;

export class SoftwareAuthenticator {
  private readonly origin: string;
  private readonly userVerified: boolean;
  private readonly aaguid: Buffer;
  private readonly credentials: HeldCredential[] = [];

  constructor(options: SoftwareAuthenticatorOptions) {
    this.origin = options.origin;
    this.userVerified = options.userVerified ?? true;
    this.aaguid = options.aaguid ?? Buffer.alloc(16);
    if (this.aaguid.length !== 16) throw new Error(`aaguid must be 16 bytes, got ${this.aaguid.length}`);
  }

  /** The credential ids it holds, base64url, oldest first. */
  get credentialIds(): string[] {
    return this.credentials.map((credential) => base64url(credential.id));
  }

  /** Answers navigator.credentials.create({ publicKey: options }) with RegistrationResponseJSON. */
  create(options: Record<string, unknown>, overrides: CreateOverrides = {}): Record<string, unknown> {
    const origin = overrides.origin ?? this.origin;
    const rpId = optionalString(objectField(options, 'rp'), 'id') ?? hostOf(origin);
    if (!overrides.skipRpIdCheck) assertRpIdBelongsToOrigin(rpId, origin);
    assertEs256Offered(options);
    this.assertNoExcludedCredentialHeld(options, rpId);

    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const credential: HeldCredential = {
      id: randomBytes(32),
      rpId,
      userHandle: stringField(objectField(options, 'user'), 'id'),
      privateKey,
      signCount: 0,
    };
    const authData = Buffer.concat([
      this.authDataHeader(rpId, FLAG_ATTESTED_CREDENTIAL_DATA, credential.signCount),
      this.attestedCredentialData(credential.id, publicKey),
    ]);
    this.credentials.push(credential);

    return publicKeyCredentialJSON(credential.id, {
      clientDataJSON: base64url(clientDataJSON('webauthn.create', stringField(options, 'challenge'), origin)),
      attestationObject: base64url(noneAttestationObject(authData)),
      transports: ['internal'],
      publicKeyAlgorithm: ES256,
      publicKey: base64url(publicKey.export({ type: 'spki', format: 'der' })),
      authenticatorData: base64url(authData),
    });
  }

  /** Answers navigator.credentials.get({ publicKey: options }) with AuthenticationResponseJSON. */
  get(options: Record<string, unknown>, overrides: GetOverrides = {}): Record<string, unknown> {
    const origin = overrides.origin ?? this.origin;
    const rpId = optionalString(options, 'rpId') ?? hostOf(origin);
    const credential = this.pickCredential(options, rpId);
    // A forced counter is a one-off lie; the authenticator's own counter stays where it was.
    const signCount = overrides.counter ?? ++credential.signCount;

    const authData = this.authDataHeader(rpId, 0, signCount);
    const clientData = clientDataJSON('webauthn.get', stringField(options, 'challenge'), origin);
    const signature = sign('sha256', Buffer.concat([authData, sha256(clientData)]), credential.privateKey);

    return publicKeyCredentialJSON(credential.id, {
      clientDataJSON: base64url(overrides.tamper === 'clientData' ? sameMeaningOtherBytes(clientData) : clientData),
      authenticatorData: base64url(authData),
      signature: base64url(overrides.tamper === 'signature' ? flipLastByte(signature) : signature),
      userHandle: credential.userHandle,
    });
  }

  /** rpIdHash ‖ flags ‖ signCount: the part of authenticator data every answer has. */
  private authDataHeader(rpId: string, extraFlags: number, signCount: number): Buffer {
    const flags = FLAG_USER_PRESENT | (this.userVerified ? FLAG_USER_VERIFIED : 0) | extraFlags;
    const counter = Buffer.alloc(4);
    counter.writeUInt32BE(signCount);
    return Buffer.concat([sha256(Buffer.from(rpId)), Buffer.from([flags]), counter]);
  }

  /** aaguid ‖ credentialIdLength ‖ credentialId ‖ COSE public key (WebAuthn §6.5.1). */
  private attestedCredentialData(credentialId: Buffer, publicKey: KeyObject): Buffer {
    const idLength = Buffer.alloc(2);
    idLength.writeUInt16BE(credentialId.length);
    return Buffer.concat([this.aaguid, idLength, credentialId, coseEs256PublicKey(publicKey)]);
  }

  /** The first allowed credential it holds for rpId; with no allow list, any it holds (a discoverable login). */
  private pickCredential(options: Record<string, unknown>, rpId: string): HeldCredential {
    const allowedIds = descriptorIds(options, 'allowCredentials');
    const candidates = this.credentials.filter((credential) => credential.rpId === rpId);
    const picked = allowedIds.length === 0
      ? candidates[0]
      : allowedIds.map((id) => candidates.find((credential) => base64url(credential.id) === id)).find(Boolean);
    if (!picked) throw new DOMException(`no credential held for rpId ${rpId} matches the request`, 'NotAllowedError');
    return picked;
  }

  private assertNoExcludedCredentialHeld(options: Record<string, unknown>, rpId: string): void {
    const held = new Set(this.credentials.filter((credential) => credential.rpId === rpId).map((credential) => base64url(credential.id)));
    const excludedAndHeld = descriptorIds(options, 'excludeCredentials').find((id) => held.has(id));
    if (excludedAndHeld) throw new DOMException(`already holds excluded credential ${excludedAndHeld}`, 'InvalidStateError');
  }
}

// --- what a browser checks ---------------------------------------------------

/**
 * A browser only lets a page use an rp.id equal to its host or a registrable suffix of it, and never
 * on an IP address. Without the Public Suffix List "registrable" is approximated as "has a dot", so
 * `example.com` passes for `auth.example.com` but `com` does not (`co.uk` would, wrongly).
 */
function assertRpIdBelongsToOrigin(rpId: string, origin: string): void {
  const host = hostOf(origin);
  const isIpAddress = isIP(host.replace(/^\[|\]$/g, '')) !== 0;
  const isSuffix = host === rpId || (rpId.includes('.') && host.endsWith(`.${rpId}`));
  if (isIpAddress || !isSuffix) {
    throw new DOMException(`rp.id ${rpId} is not a registrable domain suffix of, nor equal to, the host of ${origin}`, 'SecurityError');
  }
}

/** The authenticator only makes ES256 keys; an empty list means the spec's default, which includes ES256. */
function assertEs256Offered(options: Record<string, unknown>): void {
  const params = options.pubKeyCredParams;
  if (!Array.isArray(params) || params.length === 0) return;
  if (!params.some((param) => isObject(param) && param.type === 'public-key' && param.alg === ES256)) {
    throw new DOMException('pubKeyCredParams offers no ES256 (-7)', 'NotSupportedError');
  }
}

// --- encodings -----------------------------------------------------------------

function clientDataJSON(type: 'webauthn.create' | 'webauthn.get', challenge: string, origin: string): Buffer {
  return Buffer.from(JSON.stringify({ type, challenge, origin, crossOrigin: false }));
}

/** {fmt: 'none', attStmt: {}, authData}, keys in CTAP2 canonical order (shorter first). */
function noneAttestationObject(authData: Buffer): Uint8Array {
  return encodeCBOR(new Map<string, CBORType>([
    ['fmt', 'none'],
    ['attStmt', new Map()],
    ['authData', new Uint8Array(authData)],
  ]));
}

/** COSE_Key {kty: EC2, alg: ES256, crv: P-256, x, y}, keys in CTAP2 canonical order. */
function coseEs256PublicKey(publicKey: KeyObject): Uint8Array {
  const jwk = publicKey.export({ format: 'jwk' });
  return encodeCBOR(new Map<number, CBORType>([
    [1, 2],
    [3, ES256],
    [-1, 1],
    [-2, new Uint8Array(Buffer.from(stringField(jwk, 'x'), 'base64url'))],
    [-3, new Uint8Array(Buffer.from(stringField(jwk, 'y'), 'base64url'))],
  ]));
}

/** The last DER byte is inside s, so the signature stays well-formed but no longer matches. */
function flipLastByte(signature: Buffer): Buffer {
  const spoiled = Buffer.from(signature);
  spoiled[spoiled.length - 1] ^= 0x01;
  return spoiled;
}

/**
 * Leading whitespace leaves the JSON meaning the same (type, challenge and origin all still match),
 * so a relying party can only notice through the signature over its hash.
 */
function sameMeaningOtherBytes(clientData: Buffer): Buffer {
  return Buffer.concat([Buffer.from(' '), clientData]);
}

/** The envelope PublicKeyCredential.toJSON() puts around either kind of response. */
function publicKeyCredentialJSON(credentialId: Buffer, response: Record<string, unknown>): Record<string, unknown> {
  const id = base64url(credentialId);
  return { id, rawId: id, type: 'public-key', response, clientExtensionResults: {}, authenticatorAttachment: 'platform' };
}

function sha256(data: Buffer): Buffer {
  return createHash('sha256').update(data).digest();
}

function base64url(data: Uint8Array): string {
  return Buffer.from(data).toString('base64url');
}

function hostOf(origin: string): string {
  return new URL(origin).hostname;
}

// --- reading the options JSON ---------------------------------------------------

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function objectField(source: object, name: string): Record<string, unknown> {
  const value = (source as Record<string, unknown>)[name];
  if (!isObject(value)) throw new TypeError(`options.${name} must be an object`);
  return value;
}

function optionalString(source: object, name: string): string | undefined {
  const value = (source as Record<string, unknown>)[name];
  if (value !== undefined && typeof value !== 'string') throw new TypeError(`${name} must be a string`);
  return value;
}

function stringField(source: object, name: string): string {
  const value = optionalString(source, name);
  if (value === undefined) throw new TypeError(`${name} is missing`);
  return value;
}

/** The ids of a PublicKeyCredentialDescriptorJSON list (allowCredentials, excludeCredentials); absent means none. */
function descriptorIds(options: Record<string, unknown>, name: string): string[] {
  const list = options[name] ?? [];
  if (!Array.isArray(list)) throw new TypeError(`options.${name} must be an array`);
  return list.map((descriptor: unknown) => stringField(isObject(descriptor) ? descriptor : {}, 'id'));
}
