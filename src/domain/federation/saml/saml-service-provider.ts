// A user pool as a SAML 2.0 service provider: the messages it sends to an
// identity provider and the checks on the ones that come back.
//
// node-saml builds the messages, verifies XML signatures, decrypts assertions
// and writes the SP metadata. What it reads from the system clock or leaves
// unchecked is checked here, on the assertion node-saml verified: issuer,
// audience, recipient and destination, the validity window against the
// caller's clock, status, and whether encryption was honoured. Query-string
// signatures of the HTTP-Redirect binding, ours and the IdP's, are done here
// too (see signedRedirectUrl and verifiedRedirectMessage for why).
import { createSign, createVerify, randomBytes } from 'node:crypto';
import { inflateRawSync } from 'node:zlib';
import { SAML, ValidateInResponseTo, generateServiceProviderMetadata, type Profile } from '@node-saml/node-saml';
import { XMLSerializer, type Element } from '@xmldom/xmldom';
import {
  SAML_BINDINGS,
  SAML_NAMESPACES,
  attributeOf,
  childElement,
  childElements,
  isElement,
  parseUntrustedXml,
  textOf,
  type IdpMetadata,
} from './saml-metadata.js';
import { certificateBody, pemEncode, type SamlKeyPair } from './saml-keys.js';

export interface SamlServiceProvider {
  poolId: string;
  /** `urn:amazon:cognito:sp:<poolId>`: the SP entity id and the audience assertions must name. */
  entityId: string;
  /** Assertion consumer service, e.g. https://<domain>/saml2/idpresponse */
  acsUrl: string;
  /** Single logout service, e.g. https://<domain>/saml2/logout */
  logoutUrl: string;
  metadata: IdpMetadata;
  /** Sign AuthnRequests and LogoutRequests (RequestSigningAlgorithm rsa-sha256) with this key. */
  signing?: SamlKeyPair;
  /** EncryptedResponses: assertions arrive encrypted to this key (and unencrypted ones are refused). */
  decryption?: SamlKeyPair;
  /** IDPInit: accept responses with no InResponseTo. */
  allowIdpInitiated: boolean;
  /** ms epoch "now" from the caller's clock (tests move time). */
  now: number;
}

export interface SamlAssertion {
  issuer: string;
  nameId: string;
  nameIdFormat?: string;
  sessionIndex?: string;
  attributes: Record<string, string | string[]>;
  /** The AuthnRequest ID this answers; undefined for IdP-initiated sign-in. */
  inResponseTo?: string;
  /** For replay protection: the caller stores it as used until notOnOrAfter. */
  assertionId: string;
  /** ms epoch when the assertion expires (the earlier of SubjectConfirmationData's and Conditions' NotOnOrAfter). */
  notOnOrAfter: number;
}

/** A SAML message Gatehouse refuses; the message says what was wrong. */
export class SamlError extends Error {
  override name = 'SamlError';
}

export type LogoutMessage =
  | { kind: 'response'; inResponseTo?: string }
  | { kind: 'request'; nameId: string; requestId: string; responseUrl: string };

/**
 * How far the IdP's clock may be from ours when judging NotBefore and
 * NotOnOrAfter. A minute absorbs ordinary NTP drift while staying well inside
 * the few minutes IdPs give a bearer assertion, so an expired one still fails.
 */
export const SAML_CLOCK_SKEW_MS = 60_000;

const SUCCESS = 'urn:oasis:names:tc:SAML:2.0:status:Success';
const BEARER = 'urn:oasis:names:tc:SAML:2.0:cm:bearer';
const UNSPECIFIED_NAME_ID = 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified';
const PROTOCOL = SAML_NAMESPACES.protocol;
const ASSERTION = SAML_NAMESPACES.assertion;

// --- requests we send ----------------------------------------------------------

/** An AuthnRequest on the HTTP-Redirect binding to the IdP's SSO service, signed when sp.signing is set. */
export async function authnRequestUrl(sp: SamlServiceProvider, relayState: string): Promise<{ url: string; requestId: string }> {
  if (!sp.metadata.ssoRedirectUrl) throw new SamlError('The IdP metadata names no SingleSignOnService with the HTTP-Redirect binding.');
  const requestId = newMessageId();
  const url = await samlClient(sp, requestId).getAuthorizeUrlAsync(relayState, undefined, {});
  return { url: signedRedirectUrl(url, sp.signing), requestId };
}

/** A LogoutRequest on the HTTP-Redirect binding to the IdP's SLO service, naming the session the IdP signed the user in with. */
export async function logoutRequestUrl(
  sp: SamlServiceProvider,
  user: { nameId: string; nameIdFormat?: string; sessionIndex?: string },
  relayState: string,
): Promise<{ url: string; requestId: string }> {
  const requestId = newMessageId();
  const profile: Profile = {
    issuer: sp.entityId,
    nameID: user.nameId,
    nameIDFormat: user.nameIdFormat ?? UNSPECIFIED_NAME_ID,
    ...(user.sessionIndex && { sessionIndex: user.sessionIndex }),
  };
  const url = await samlClient(sp, requestId, sloRedirectUrlOf(sp)).getLogoutUrlAsync(profile, relayState, {});
  return { url: signedRedirectUrl(url, sp.signing), requestId };
}

/** SP metadata for the IdP's administrator: entity id, ACS (POST), SLO (Redirect and POST), signing and encryption certificates. */
export function serviceProviderMetadataXml(sp: SamlServiceProvider): string {
  const xml = generateServiceProviderMetadata({
    issuer: sp.entityId,
    callbackUrl: sp.acsUrl,
    logoutCallbackUrl: sp.logoutUrl,
    identifierFormat: null,
    // Asks the IdP to sign assertions; readResponse still accepts a signed response around an unsigned assertion.
    wantAssertionsSigned: true,
    ...(sp.signing && { privateKey: sp.signing.privateKeyPem, publicCerts: certificateBody(sp.signing.certificatePem) }),
    ...(sp.decryption && { decryptionPvk: sp.decryption.privateKeyPem, decryptionCert: certificateBody(sp.decryption.certificatePem) }),
  });
  return withRedirectLogoutService(xml, sp.logoutUrl);
}

// node-saml lists the logout service with the POST binding only; readLogoutMessage
// answers the Redirect binding too, which is what most IdPs send.
function withRedirectLogoutService(xml: string, logoutUrl: string): string {
  const document = parseUntrustedXml(xml);
  const descriptor = childElement(document.documentElement!, SAML_NAMESPACES.metadata, 'SPSSODescriptor')!;
  const postService = childElement(descriptor, SAML_NAMESPACES.metadata, 'SingleLogoutService')!;
  const redirectService = document.createElementNS(SAML_NAMESPACES.metadata, postService.tagName);
  redirectService.setAttribute('Binding', SAML_BINDINGS.redirect);
  redirectService.setAttribute('Location', logoutUrl);
  descriptor.insertBefore(redirectService, postService);
  descriptor.insertBefore(document.createTextNode('\n    '), postService);
  return new XMLSerializer().serializeToString(document);
}

// --- the IdP's sign-in response ---------------------------------------------------

/** Reads an HTTP-POST SAMLResponse: the assertion it carries, once every check has passed. */
export async function readResponse(sp: SamlServiceProvider, samlResponseBase64: string): Promise<SamlAssertion> {
  const response = parseMessage(samlResponseBase64, 'Response', 'The SAML response');
  checkStatus(response, 'The IdP answered');
  const slot = assertionSlot(response);
  checkEncryption(sp, slot.encrypted);
  if (!slot.encrypted && !hasSignature(response) && !hasSignature(slot.element)) {
    throw new SamlError('The SAML response is not signed: the IdP must sign the response or its assertion.');
  }
  const assertion = await verifiedAssertion(sp, samlResponseBase64, slot.encrypted);
  checkIssuer(sp, response, assertion);
  checkAudience(sp, assertion);
  const confirmation = bearerConfirmationData(assertion);
  checkAddressedToUs(sp, response, confirmation);
  const notOnOrAfter = checkValidityWindow(sp.now, assertion, confirmation);
  return {
    issuer: sp.metadata.entityId,
    ...subjectOf(assertion),
    attributes: attributesOf(assertion),
    ...optional('inResponseTo', requestAnswered(sp, response, confirmation)),
    assertionId: requiredAttribute(assertion, 'ID', 'The SAML assertion'),
    notOnOrAfter,
  };
}

function assertionSlot(response: Element): { element: Element; encrypted: boolean } {
  const plain = childElements(response, ASSERTION, 'Assertion');
  const encrypted = childElements(response, ASSERTION, 'EncryptedAssertion');
  if (plain.length + encrypted.length !== 1) {
    throw new SamlError(`The SAML response must hold exactly one assertion; it holds ${plain.length + encrypted.length}.`);
  }
  return plain.length === 1 ? { element: plain[0]!, encrypted: false } : { element: encrypted[0]!, encrypted: true };
}

function checkEncryption(sp: SamlServiceProvider, encrypted: boolean): void {
  if (sp.decryption && !encrypted) {
    throw new SamlError('The SAML assertion is not encrypted, and this identity provider is set to send encrypted assertions.');
  }
  if (!sp.decryption && encrypted) {
    throw new SamlError('The SAML assertion is encrypted, and this identity provider has no encryption key (EncryptedResponses is off).');
  }
}

function hasSignature(element: Element): boolean {
  return childElements(element, SAML_NAMESPACES.xmldsig, 'Signature').length > 0;
}

/** The assertion as node-saml verified (and, if need be, decrypted) it: nothing outside the signed bytes is read from it. */
async function verifiedAssertion(sp: SamlServiceProvider, samlResponseBase64: string, encrypted: boolean): Promise<Element> {
  let profile: Profile | null;
  try {
    ({ profile } = await samlClient(sp).validatePostResponseAsync({ SAMLResponse: samlResponseBase64 }));
  } catch (error) {
    throw new SamlError(describeRejection(error, 'The SAML response', encrypted));
  }
  const xml = profile?.getAssertionXml?.();
  if (!xml) throw new SamlError('The SAML response holds no assertion.');
  return parseUntrustedXml(xml).documentElement!;
}

// node-saml's errors say "signature" when one fails; anything else about an
// encrypted assertion comes from decrypting it (xml-encryption or OpenSSL).
function describeRejection(error: unknown, what: string, encrypted = false): string {
  const reason = (error as Error).message ?? String(error);
  if (/signature/i.test(reason)) return `${what} signature does not verify against the IdP's signing certificates.`;
  if (encrypted) return `${what} could not be decrypted with this identity provider's encryption key (${reason}).`;
  return `${what} is malformed (${reason}).`;
}

function checkIssuer(sp: SamlServiceProvider, response: Element, assertion: Element): void {
  const assertionIssuer = textOf(childElement(assertion, ASSERTION, 'Issuer'));
  if (assertionIssuer !== sp.metadata.entityId) throw wrongIssuer(sp, 'SAML assertion', assertionIssuer);
  // The Response's own Issuer is optional (SAML core §3.2.2), but must agree when present.
  const responseIssuer = textOf(childElement(response, ASSERTION, 'Issuer'));
  if (responseIssuer !== undefined && responseIssuer !== sp.metadata.entityId) throw wrongIssuer(sp, 'SAML response', responseIssuer);
}

function wrongIssuer(sp: SamlServiceProvider, what: string, issuer: string | undefined): SamlError {
  return new SamlError(`The ${what} was issued by ${issuer ?? '(no issuer)'}, not by the IdP ${sp.metadata.entityId}.`);
}

// Every AudienceRestriction must name us (SAML core §2.5.1.4); the Web SSO profile requires at least one.
function checkAudience(sp: SamlServiceProvider, assertion: Element): void {
  const restrictions = childElements(childElement(assertion, ASSERTION, 'Conditions') ?? assertion, ASSERTION, 'AudienceRestriction');
  if (restrictions.length === 0) throw new SamlError(`The SAML assertion names no audience; it must name ${sp.entityId}.`);
  for (const restriction of restrictions) {
    const audiences = childElements(restriction, ASSERTION, 'Audience').map((audience) => textOf(audience) ?? '');
    if (!audiences.includes(sp.entityId)) {
      throw new SamlError(`The SAML assertion is for audience ${audiences.join(', ') || '(none)'}, not ${sp.entityId}.`);
    }
  }
}

function bearerConfirmationData(assertion: Element): Element | undefined {
  const subject = childElement(assertion, ASSERTION, 'Subject');
  const bearer = childElements(subject ?? assertion, ASSERTION, 'SubjectConfirmation').find((confirmation) => attributeOf(confirmation, 'Method') === BEARER);
  if (!bearer) throw new SamlError('The SAML assertion has no bearer SubjectConfirmation.');
  return childElement(bearer, ASSERTION, 'SubjectConfirmationData');
}

function checkAddressedToUs(sp: SamlServiceProvider, response: Element, confirmation: Element | undefined): void {
  const destination = attributeOf(response, 'Destination');
  if (destination !== undefined && destination !== sp.acsUrl) throw new SamlError(`The SAML response is addressed to ${destination}, not ${sp.acsUrl}.`);
  const recipient = attributeOf(confirmation, 'Recipient');
  if (recipient !== undefined && recipient !== sp.acsUrl) throw new SamlError(`The SAML assertion is addressed to ${recipient}, not ${sp.acsUrl}.`);
}

/** Checks NotBefore / NotOnOrAfter of Conditions and SubjectConfirmationData against `now`; returns when the assertion expires. */
function checkValidityWindow(now: number, assertion: Element, confirmation: Element | undefined): number {
  const conditions = childElement(assertion, ASSERTION, 'Conditions');
  const notBefore = latest([instantOf(conditions, 'NotBefore'), instantOf(confirmation, 'NotBefore')]);
  const notOnOrAfter = earliest([instantOf(conditions, 'NotOnOrAfter'), instantOf(confirmation, 'NotOnOrAfter')]);
  if (notOnOrAfter === undefined) throw new SamlError('The SAML assertion has no NotOnOrAfter, so it would never expire.');
  if (notBefore !== undefined && now + SAML_CLOCK_SKEW_MS < notBefore) {
    throw new SamlError(`The SAML assertion is not yet valid: it is valid from ${new Date(notBefore).toISOString()}.`);
  }
  if (now - SAML_CLOCK_SKEW_MS >= notOnOrAfter) throw new SamlError(`The SAML assertion expired at ${new Date(notOnOrAfter).toISOString()}.`);
  return notOnOrAfter;
}

function instantOf(element: Element | undefined, name: string): number | undefined {
  const value = attributeOf(element, name);
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new SamlError(`The SAML message has an unreadable ${name}: ${value}.`);
  return ms;
}

function latest(instants: Array<number | undefined>): number | undefined {
  const known = instants.filter((instant) => instant !== undefined);
  return known.length > 0 ? Math.max(...known) : undefined;
}

function earliest(instants: Array<number | undefined>): number | undefined {
  const known = instants.filter((instant) => instant !== undefined);
  return known.length > 0 ? Math.min(...known) : undefined;
}

// The signed SubjectConfirmationData says which request this answers; the
// Response element may say so too (and is unsigned when only the assertion is).
function requestAnswered(sp: SamlServiceProvider, response: Element, confirmation: Element | undefined): string | undefined {
  const fromAssertion = attributeOf(confirmation, 'InResponseTo');
  const fromResponse = attributeOf(response, 'InResponseTo');
  if (fromAssertion && fromResponse && fromAssertion !== fromResponse) {
    throw new SamlError('The SAML response and its assertion answer different requests.');
  }
  const inResponseTo = fromAssertion ?? fromResponse;
  if (!inResponseTo && !sp.allowIdpInitiated) {
    throw new SamlError('The SAML response answers no request (IdP-initiated sign-in), which this identity provider does not allow.');
  }
  return inResponseTo;
}

function subjectOf(assertion: Element): Pick<SamlAssertion, 'nameId' | 'nameIdFormat' | 'sessionIndex'> {
  const nameIdElement = childElement(childElement(assertion, ASSERTION, 'Subject'), ASSERTION, 'NameID');
  const nameId = textOf(nameIdElement);
  if (!nameId) throw new SamlError('The SAML assertion has no NameID.');
  const authnStatement = childElement(assertion, ASSERTION, 'AuthnStatement');
  return {
    nameId,
    ...optional('nameIdFormat', attributeOf(nameIdElement, 'Format')),
    ...optional('sessionIndex', attributeOf(authnStatement, 'SessionIndex')),
  };
}

/** Attribute name to its value, or to all its values when it has several (an attribute may also be split across statements). */
function attributesOf(assertion: Element): Record<string, string | string[]> {
  const values = new Map<string, string[]>();
  for (const statement of childElements(assertion, ASSERTION, 'AttributeStatement')) {
    for (const attribute of childElements(statement, ASSERTION, 'Attribute')) {
      const name = attributeOf(attribute, 'Name');
      if (!name) continue;
      const attributeValues = childElements(attribute, ASSERTION, 'AttributeValue').map((value) => value.textContent ?? '');
      values.set(name, [...(values.get(name) ?? []), ...attributeValues]);
    }
  }
  return Object.fromEntries([...values].map(([name, list]) => [name, list.length === 1 ? list[0]! : list]));
}

// --- logout --------------------------------------------------------------------

/**
 * Reads what the IdP sent to the logout URL, on either binding (HTTP-Redirect
 * query parameters, or an HTTP-POST body): its LogoutResponse to our request,
 * or its own LogoutRequest, for which `responseUrl` is where to send the
 * browser with our (signed, when sp.signing is set) LogoutResponse.
 * Unsigned messages are refused.
 */
export async function readLogoutMessage(sp: SamlServiceProvider, params: Record<string, string>): Promise<LogoutMessage> {
  const message = isPostBinding(params) ? await verifiedPostMessage(sp, params) : verifiedRedirectMessage(sp, params);
  checkLogoutIssuer(sp, message);
  const destination = attributeOf(message, 'Destination');
  if (destination !== undefined && destination !== sp.logoutUrl) {
    throw new SamlError(`The SAML logout message is addressed to ${destination}, not ${sp.logoutUrl}.`);
  }
  if (isElement(message, PROTOCOL, 'LogoutResponse')) {
    checkStatus(message, 'The IdP answered the logout');
    return { kind: 'response', ...optional('inResponseTo', attributeOf(message, 'InResponseTo')) };
  }
  return await answerLogoutRequest(sp, message, params.RelayState ?? '');
}

async function answerLogoutRequest(sp: SamlServiceProvider, request: Element, relayState: string): Promise<LogoutMessage> {
  const notOnOrAfter = instantOf(request, 'NotOnOrAfter');
  if (notOnOrAfter !== undefined && sp.now - SAML_CLOCK_SKEW_MS >= notOnOrAfter) {
    throw new SamlError(`The SAML logout request expired at ${new Date(notOnOrAfter).toISOString()}.`);
  }
  const requestId = requiredAttribute(request, 'ID', 'The SAML logout request');
  const nameIdElement = childElement(request, ASSERTION, 'NameID');
  const nameId = textOf(nameIdElement);
  if (!nameId) throw new SamlError('The SAML logout request has no NameID.');
  const answered: Profile = { ID: requestId, issuer: sp.metadata.entityId, nameID: nameId, nameIDFormat: attributeOf(nameIdElement, 'Format') ?? UNSPECIFIED_NAME_ID };
  const responseUrl = await samlClient(sp, newMessageId(), sloRedirectUrlOf(sp)).getLogoutResponseUrlAsync(answered, relayState, {}, true);
  return { kind: 'request', nameId, requestId, responseUrl: signedRedirectUrl(responseUrl, sp.signing) };
}

function checkLogoutIssuer(sp: SamlServiceProvider, message: Element): void {
  const issuer = textOf(childElement(message, ASSERTION, 'Issuer'));
  if (issuer !== sp.metadata.entityId) throw wrongIssuer(sp, 'SAML logout message', issuer);
}

// The HTTP-POST binding carries plain base64 XML and no query signature; the
// Redirect binding deflates the XML first.
function isPostBinding(params: Record<string, string>): boolean {
  return !params.Signature && /^\s*</.test(Buffer.from(logoutPayload(params).value, 'base64').toString('utf8'));
}

function logoutPayload(params: Record<string, string>): { parameter: 'SAMLRequest' | 'SAMLResponse'; value: string } {
  if (params.SAMLRequest && params.SAMLResponse) throw new SamlError('A SAML logout message carries either SAMLRequest or SAMLResponse, not both.');
  if (params.SAMLRequest) return { parameter: 'SAMLRequest', value: params.SAMLRequest };
  if (params.SAMLResponse) return { parameter: 'SAMLResponse', value: params.SAMLResponse };
  throw new SamlError('The SAML logout message has neither SAMLRequest nor SAMLResponse.');
}

// --- HTTP-Redirect binding: the signature is over the query string ---------------

const RSA_SHA256 = 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256';

/** What IdPs sign their redirect messages with; SHA-1 is still accepted, as node-saml accepts it in XML signatures. */
const REDIRECT_SIGNATURE_HASHES: Record<string, string> = {
  'http://www.w3.org/2000/09/xmldsig#rsa-sha1': 'RSA-SHA1',
  [RSA_SHA256]: 'RSA-SHA256',
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha512': 'RSA-SHA512',
};

/**
 * Adds SigAlg and Signature to an HTTP-Redirect URL (SAML bindings §3.4.4.1).
 * The signature must cover the query exactly as the IdP receives it. node-saml
 * signs one encoding and writes another into the URL (they differ on spaces
 * and !'()~), and a browser re-encodes ' on the way; so the signature is made
 * here, over the URL's own form encoding, which survives the trip unchanged.
 */
function signedRedirectUrl(url: string, signing: SamlKeyPair | undefined): string {
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

function verifiedRedirectMessage(sp: SamlServiceProvider, params: Record<string, string>): Element {
  const { parameter, value } = logoutPayload(params);
  if (!params.Signature) throw new SamlError('The SAML logout message is not signed.');
  const hash = REDIRECT_SIGNATURE_HASHES[params.SigAlg ?? ''];
  if (!hash) throw new SamlError(`The SAML logout message is signed with an unsupported algorithm: ${params.SigAlg ?? '(none)'}.`);
  const signed: Array<[string, string]> = [[parameter, value]];
  if (params.RelayState !== undefined) signed.push(['RelayState', params.RelayState]);
  signed.push(['SigAlg', params.SigAlg!]);
  const signature = Buffer.from(params.Signature!, 'base64');
  const certificates = sp.metadata.signingCertificates.map((body) => pemEncode('CERTIFICATE', Buffer.from(body, 'base64')));
  const verifies = QUERY_ENCODINGS.some((encode) => {
    const octets = signed.map(([name, raw]) => `${name}=${encode(raw)}`).join('&');
    return certificates.some((certificate) => createVerify(hash).update(octets).verify(certificate, signature));
  });
  if (!verifies) throw new SamlError("The SAML logout message signature does not verify against the IdP's signing certificates.");
  return parseLogoutXml(inflate(value));
}

function inflate(base64: string): string {
  try {
    return inflateRawSync(Buffer.from(base64, 'base64'), { maxOutputLength: MAX_INFLATED_BYTES }).toString('utf8');
  } catch {
    throw new SamlError('The SAML logout message is malformed (not deflated as the HTTP-Redirect binding requires).');
  }
}

function formEncode(value: string): string {
  return new URLSearchParams({ v: value }).toString().slice('v='.length);
}

function lowerCaseHex(encoded: string): string {
  return encoded.replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase());
}

// --- HTTP-POST binding: the signature is in the XML ---------------------------------

async function verifiedPostMessage(sp: SamlServiceProvider, params: Record<string, string>): Promise<Element> {
  const { parameter, value } = logoutPayload(params);
  const message = parseLogoutXml(Buffer.from(value, 'base64').toString('utf8'));
  if (!hasSignature(message)) throw new SamlError('The SAML logout message is not signed.');
  try {
    const client = samlClient(sp);
    await (parameter === 'SAMLRequest' ? client.validatePostRequestAsync({ SAMLRequest: value }) : client.validatePostResponseAsync({ SAMLResponse: value }));
  } catch (error) {
    throw new SamlError(describeRejection(error, 'The SAML logout message'));
  }
  return message;
}

function parseLogoutXml(xml: string): Element {
  const root = parseXml(xml, 'The SAML logout message');
  if (!isElement(root, PROTOCOL, 'LogoutRequest') && !isElement(root, PROTOCOL, 'LogoutResponse')) {
    throw new SamlError(`The SAML logout message is a ${root.localName}, not a LogoutRequest or LogoutResponse.`);
  }
  return root;
}

// --- shared -----------------------------------------------------------------------

function parseMessage(base64: string, localName: string, what: string): Element {
  const root = parseXml(Buffer.from(base64, 'base64').toString('utf8'), what);
  if (!isElement(root, PROTOCOL, localName)) throw new SamlError(`${what} is malformed (its root is ${root.localName}, not samlp:${localName}).`);
  return root;
}

function parseXml(xml: string, what: string): Element {
  try {
    return parseUntrustedXml(xml).documentElement!;
  } catch (error) {
    throw new SamlError(`${what} is malformed (${(error as Error).message}).`);
  }
}

/** Refuses a response or logout answer whose top-level status is not Success, naming the codes and message the IdP gave. */
function checkStatus(message: Element, answered: string): void {
  const status = childElement(message, PROTOCOL, 'Status');
  const code = childElement(status, PROTOCOL, 'StatusCode');
  const top = attributeOf(code, 'Value');
  if (top === SUCCESS) return;
  const detail = attributeOf(childElement(code, PROTOCOL, 'StatusCode'), 'Value');
  const statusMessage = textOf(childElement(status, PROTOCOL, 'StatusMessage'));
  throw new SamlError(`${answered} with status ${top ?? '(none)'}${detail ? ` (${detail})` : ''}${statusMessage ? `: ${statusMessage}` : ''}, not Success.`);
}

function requiredAttribute(element: Element, name: string, what: string): string {
  const value = attributeOf(element, name);
  if (!value) throw new SamlError(`${what} has no ${name}.`);
  return value;
}

function sloRedirectUrlOf(sp: SamlServiceProvider): string {
  if (!sp.metadata.sloRedirectUrl) throw new SamlError('The IdP metadata names no SingleLogoutService with the HTTP-Redirect binding.');
  return sp.metadata.sloRedirectUrl;
}

// SAML IDs are xs:ID, which must not start with a digit.
function newMessageId(): string {
  return `_${randomBytes(20).toString('hex')}`;
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

/**
 * node-saml configured for this pool. Its own time checks are off
 * (acceptedClockSkewMs -1) because it reads the system clock, and its audience
 * check is off because it is done here with the rest; what remains is
 * building messages, verifying XML signatures and decrypting.
 */
function samlClient(sp: SamlServiceProvider, messageId: string = newMessageId(), logoutUrl?: string): SAML {
  return new SAML({
    issuer: sp.entityId,
    callbackUrl: sp.acsUrl,
    // node-saml wants an entry point before it builds any redirect, logout included.
    entryPoint: sp.metadata.ssoRedirectUrl ?? sp.metadata.ssoPostUrl,
    ...(logoutUrl && { logoutUrl }),
    idpCert: sp.metadata.signingCertificates,
    audience: false,
    acceptedClockSkewMs: -1,
    // Either the response or the assertion must be signed; node-saml insists on one of them even with both off.
    wantAssertionsSigned: false,
    wantAuthnResponseSigned: false,
    validateInResponseTo: ValidateInResponseTo.never,
    identifierFormat: null,
    disableRequestedAuthnContext: true,
    // No privateKey: redirect URLs are signed by signedRedirectUrl.
    ...(sp.decryption && { decryptionPvk: sp.decryption.privateKeyPem }),
    generateUniqueId: () => messageId,
  });
}
