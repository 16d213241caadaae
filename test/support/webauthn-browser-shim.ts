// Just enough of a browser's WebAuthn surface, on globalThis, for browser-only client code (Amplify
// v6's passkey functions) to run in Node against a SoftwareAuthenticator.
//
// The shim plays the browser's part: navigator.credentials.create/get take the binary options a page
// passes (ArrayBuffers or typed arrays where WebAuthn wants a BufferSource), hand the authenticator
// their JSON form (base64url), and answer with PublicKeyCredential objects holding ArrayBuffers, as
// a browser does. Binary fields that are not BufferSources are refused with a TypeError, as WebIDL
// refuses them, so client code that forgets to decode base64url fails here as it would in Chrome.
//
// Install it only around the calls that need it: Amplify decides some things by whether `window`
// exists (storage, OAuth listeners, framework detection), and those should see Node as usual.
import type { SoftwareAuthenticator } from './software-authenticator.js';

type Json = Record<string, unknown>;

/** The globals the shim defines, in the order it defines them. */
const SHIMMED_GLOBALS = [
  'window',
  'document',
  'isSecureContext',
  'navigator',
  'PublicKeyCredential',
  'AuthenticatorResponse',
  'AuthenticatorAttestationResponse',
  'AuthenticatorAssertionResponse',
] as const;

type ShimmedGlobal = (typeof SHIMMED_GLOBALS)[number];

// --- the credential classes ------------------------------------------------------

/** What both kinds of answer share (WebAuthn §5.2). */
export class AuthenticatorResponse {
  constructor(readonly clientDataJSON: ArrayBuffer) {}
}

/** The answer to create(): the attestation, and the accessors WebAuthn Level 2 added to read it. */
export class AuthenticatorAttestationResponse extends AuthenticatorResponse {
  readonly attestationObject: ArrayBuffer;
  readonly #json: Json;

  constructor(json: Json) {
    super(bufferFrom(json, 'clientDataJSON'));
    this.attestationObject = bufferFrom(json, 'attestationObject');
    this.#json = json;
  }

  getTransports(): string[] {
    const transports = this.#json.transports;
    return Array.isArray(transports) ? transports.map(String) : [];
  }

  getPublicKeyAlgorithm(): number {
    const algorithm = this.#json.publicKeyAlgorithm;
    if (typeof algorithm !== 'number') throw new TypeError('the authenticator gave no publicKeyAlgorithm');
    return algorithm;
  }

  getAuthenticatorData(): ArrayBuffer {
    return bufferFrom(this.#json, 'authenticatorData');
  }

  /** SPKI DER, or null when the browser cannot express the key's algorithm (never, for ES256). */
  getPublicKey(): ArrayBuffer | null {
    return this.#json.publicKey === undefined ? null : bufferFrom(this.#json, 'publicKey');
  }
}

/** The answer to get(): a signature over authenticator data and the client data's hash. */
export class AuthenticatorAssertionResponse extends AuthenticatorResponse {
  readonly authenticatorData: ArrayBuffer;
  readonly signature: ArrayBuffer;
  readonly userHandle: ArrayBuffer | null;

  constructor(json: Json) {
    super(bufferFrom(json, 'clientDataJSON'));
    this.authenticatorData = bufferFrom(json, 'authenticatorData');
    this.signature = bufferFrom(json, 'signature');
    this.userHandle = json.userHandle === undefined ? null : bufferFrom(json, 'userHandle');
  }
}

export class PublicKeyCredential {
  readonly type = 'public-key';
  readonly id: string;
  readonly rawId: ArrayBuffer;
  readonly authenticatorAttachment: string | null;
  readonly #clientExtensionResults: Json;

  constructor(json: Json, readonly response: AuthenticatorAttestationResponse | AuthenticatorAssertionResponse) {
    this.id = stringFrom(json, 'id');
    this.rawId = bufferFrom(json, 'rawId');
    this.authenticatorAttachment = typeof json.authenticatorAttachment === 'string' ? json.authenticatorAttachment : null;
    this.#clientExtensionResults = isObject(json.clientExtensionResults) ? json.clientExtensionResults : {};
  }

  getClientExtensionResults(): Json {
    return { ...this.#clientExtensionResults };
  }
}

// --- navigator.credentials -------------------------------------------------------------

/** navigator.credentials as a browser on the authenticator's origin would offer it. */
function credentialsContainer(authenticator: SoftwareAuthenticator) {
  return {
    // async, so that the authenticator's DOMExceptions reject the promise as a browser's do.
    async create(options: unknown): Promise<PublicKeyCredential> {
      const answer = authenticator.create(creationOptionsJson(publicKeyOptions(options)));
      return new PublicKeyCredential(answer, new AuthenticatorAttestationResponse(objectFrom(answer, 'response')));
    },
    async get(options: unknown): Promise<PublicKeyCredential> {
      const answer = authenticator.get(requestOptionsJson(publicKeyOptions(options)));
      return new PublicKeyCredential(answer, new AuthenticatorAssertionResponse(objectFrom(answer, 'response')));
    },
  };
}

/** A browser only does WebAuthn for `{ publicKey }`; passwords and federated credentials are other APIs. */
function publicKeyOptions(options: unknown): Json {
  if (!isObject(options) || !isObject(options.publicKey)) {
    throw new DOMException('only publicKey credentials are supported', 'NotSupportedError');
  }
  return options.publicKey;
}

/** PublicKeyCredentialCreationOptions → PublicKeyCredentialCreationOptionsJSON. */
function creationOptionsJson(options: Json): Json {
  const user = objectFrom(options, 'user');
  return {
    ...options,
    challenge: base64url(options.challenge, 'challenge'),
    user: { ...user, id: base64url(user.id, 'user.id') },
    excludeCredentials: descriptorsJson(options.excludeCredentials, 'excludeCredentials'),
  };
}

/** PublicKeyCredentialRequestOptions → PublicKeyCredentialRequestOptionsJSON. */
function requestOptionsJson(options: Json): Json {
  return {
    ...options,
    challenge: base64url(options.challenge, 'challenge'),
    allowCredentials: descriptorsJson(options.allowCredentials, 'allowCredentials'),
  };
}

function descriptorsJson(list: unknown, name: string): Json[] {
  if (list === undefined) return [];
  if (!Array.isArray(list)) throw new TypeError(`${name} must be a sequence`);
  return list.map((descriptor: unknown, index) => {
    if (!isObject(descriptor)) throw new TypeError(`${name}[${index}] must be a dictionary`);
    return { ...descriptor, id: base64url(descriptor.id, `${name}[${index}].id`) };
  });
}

// --- installing ----------------------------------------------------------------------------

/**
 * Makes globalThis look like a secure-context browser page whose navigator.credentials is backed by
 * `authenticator`. Returns a function that puts back exactly what was there before (own property
 * descriptors, or absence); calling it again does nothing.
 */
export function installWebAuthnShim(authenticator: SoftwareAuthenticator): () => void {
  const saved = SHIMMED_GLOBALS.map((name) => [name, Object.getOwnPropertyDescriptor(globalThis, name)] as const);
  const restore = () => {
    for (const [name, descriptor] of saved) {
      if (descriptor) Object.defineProperty(globalThis, name, descriptor);
      else Reflect.deleteProperty(globalThis, name);
    }
  };
  const values = browserGlobals(authenticator);
  try {
    for (const name of SHIMMED_GLOBALS) {
      Object.defineProperty(globalThis, name, { value: values[name], configurable: true, writable: true, enumerable: false });
    }
  } catch (error) {
    restore(); // a non-configurable global (a future Node's?) must not leave the shim half-installed
    throw error;
  }
  let installed = true;
  return () => {
    if (!installed) return;
    installed = false;
    restore();
  };
}

/** Runs `action` with the shim installed, and uninstalls it however `action` ends. */
export async function withWebAuthnShim<T>(authenticator: SoftwareAuthenticator, action: () => Promise<T>): Promise<T> {
  const uninstall = installWebAuthnShim(authenticator);
  try {
    return await action();
  } finally {
    uninstall();
  }
}

function browserGlobals(authenticator: SoftwareAuthenticator): Record<ShimmedGlobal, unknown> {
  return {
    // In a browser window === globalThis, so `window.X` and a bare `X` are the same thing here too.
    window: globalThis,
    document: emptyDocument(),
    isSecureContext: true,
    navigator: { credentials: credentialsContainer(authenticator) },
    PublicKeyCredential,
    AuthenticatorResponse,
    AuthenticatorAttestationResponse,
    AuthenticatorAssertionResponse,
  };
}

/**
 * A visible page with no elements. isBrowser() only needs `document` to exist, but Amplify's
 * framework detection re-runs on a timer a second after its first request and queries the document
 * (`[ng-version]`, elements with ids); if that lands while the shim is installed it must find an
 * empty page rather than throw from a timer.
 */
function emptyDocument(): Json {
  return {
    visibilityState: 'visible',
    querySelector: () => null,
    querySelectorAll: () => [],
  };
}

// --- encodings -------------------------------------------------------------------------------

/** A BufferSource, base64url; anything else is a TypeError, as WebIDL makes it. */
function base64url(value: unknown, name: string): string {
  if (value instanceof ArrayBuffer) return Buffer.from(value).toString('base64url');
  if (ArrayBuffer.isView(value)) return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64url');
  throw new TypeError(`${name} must be an ArrayBuffer or ArrayBufferView, got ${typeof value}`);
}

/** A base64url field of the authenticator's JSON as an ArrayBuffer of exactly its bytes (not a pooled Buffer's). */
function bufferFrom(json: Json, name: string): ArrayBuffer {
  const bytes = Buffer.from(stringFrom(json, name), 'base64url');
  const buffer = new ArrayBuffer(bytes.length);
  new Uint8Array(buffer).set(bytes);
  return buffer;
}

function stringFrom(json: Json, name: string): string {
  const value = json[name];
  if (typeof value !== 'string') throw new TypeError(`${name} must be a string`);
  return value;
}

function objectFrom(json: Json, name: string): Json {
  const value = json[name];
  if (!isObject(value)) throw new TypeError(`${name} must be an object`);
  return value;
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
