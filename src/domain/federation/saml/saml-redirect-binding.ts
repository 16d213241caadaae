// The HTTP-Redirect binding (SAML bindings §3.4): the message is deflated into
// a query parameter and the signature is over the query string, not in the
// XML. node-saml's handling of it does not survive the trip through a browser
// or the IdPs' encodings, so both directions are done here.
import { createSign, createVerify } from 'node:crypto';
import { inflateRawSync } from 'node:zlib';
import { pemEncode, type SamlKeyPair } from './saml-keys.js';
import { SamlError } from './saml-message.js';

/** Which query parameter carries the message, and its value: the deflated XML in base64. */
export interface RedirectPayload {
  parameter: 'SAMLRequest' | 'SAMLResponse';
  value: string;
}

const RSA_SHA256 = 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256';

/** What IdPs sign their redirect messages with; SHA-1 is still accepted, as node-saml accepts it in XML signatures. */
const REDIRECT_SIGNATURE_HASHES: Record<string, string> = {
  'http://www.w3.org/2000/09/xmldsig#rsa-sha1': 'RSA-SHA1',
  [RSA_SHA256]: 'RSA-SHA256',
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha512': 'RSA-SHA512',
};

/**
 * The signature covers the query string as the IdP encoded it, which the
 * parsed parameters no longer show. IdPs encode differently (RFC 3986 style,
 * HTML-form style with "+" for spaces, .NET's lower-case hex), so each is
 * tried; they all encode the same values, so accepting any of them accepts
 * nothing the IdP did not sign.
 */
const QUERY_ENCODINGS: Array<(value: string) => string> = [
  encodeURIComponent,
  formEncode,
  (value) => lowerCaseHex(encodeURIComponent(value)),
  (value) => lowerCaseHex(formEncode(value)),
];

// Deflated SAML messages are small; the cap stops a tiny query inflating into gigabytes.
const MAX_INFLATED_BYTES = 1 << 20;

/**
 * Adds SigAlg and Signature to an HTTP-Redirect URL (SAML bindings §3.4.4.1).
 * The signature must cover the query exactly as the IdP receives it. node-saml
 * signs one encoding and writes another into the URL (they differ on spaces
 * and !'()~), and a browser re-encodes ' on the way; so the signature is made
 * here, over the URL's own form encoding, which survives the trip unchanged.
 */
export function signedRedirectUrl(url: string, signing: SamlKeyPair | undefined): string {
  if (!signing) return url;
  const target = new URL(url);
  // RequestSigningAlgorithm rsa-sha256, the one Cognito offers.
  target.searchParams.set('SigAlg', RSA_SHA256);
  const signedParameters = new URLSearchParams();
  for (const name of ['SAMLRequest', 'SAMLResponse', 'RelayState', 'SigAlg']) {
    const value = target.searchParams.get(name);
    if (value !== null) signedParameters.append(name, value);
  }
  const signature = createSign('RSA-SHA256').update(signedParameters.toString()).sign(signing.privateKeyPem, 'base64');
  target.searchParams.set('Signature', signature);
  return target.toString();
}

/**
 * The XML of a message received on the HTTP-Redirect binding, once its query
 * signature verifies against one of `certificates` (base64 DER bodies, as in
 * IdpMetadata). `what` names the message in errors.
 */
export function verifiedRedirectXml(params: Record<string, string>, payload: RedirectPayload, certificates: string[], what: string): string {
  if (!params.Signature) throw new SamlError(`${what} is not signed.`);
  const hash = REDIRECT_SIGNATURE_HASHES[params.SigAlg ?? ''];
  if (!hash) throw new SamlError(`${what} is signed with an unsupported algorithm: ${params.SigAlg ?? '(none)'}.`);
  const signature = Buffer.from(params.Signature, 'base64');
  if (!signatureVerifies(hash, signedParameters(params, payload), signature, certificates)) {
    throw new SamlError(`${what} signature does not verify against the IdP's signing certificates.`);
  }
  return inflate(payload.value, what);
}

/** The signed parameters in the order SAML bindings §3.4.4.1 gives, still decoded. */
function signedParameters(params: Record<string, string>, payload: RedirectPayload): Array<[string, string]> {
  const signed: Array<[string, string]> = [[payload.parameter, payload.value]];
  if (params.RelayState !== undefined) signed.push(['RelayState', params.RelayState]);
  signed.push(['SigAlg', params.SigAlg!]);
  return signed;
}

function signatureVerifies(hash: string, signed: Array<[string, string]>, signature: Buffer, certificates: string[]): boolean {
  const pems = certificates.map((body) => pemEncode('CERTIFICATE', Buffer.from(body, 'base64')));
  return QUERY_ENCODINGS.some((encode) => {
    const octets = signed.map(([name, raw]) => `${name}=${encode(raw)}`).join('&');
    return pems.some((certificate) => createVerify(hash).update(octets).verify(certificate, signature));
  });
}

function inflate(base64: string, what: string): string {
  try {
    return inflateRawSync(Buffer.from(base64, 'base64'), { maxOutputLength: MAX_INFLATED_BYTES }).toString('utf8');
  } catch {
    throw new SamlError(`${what} is malformed (not deflated as the HTTP-Redirect binding requires).`);
  }
}

function formEncode(value: string): string {
  return new URLSearchParams({ v: value }).toString().slice('v='.length);
}

function lowerCaseHex(encoded: string): string {
  return encoded.replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase());
}
