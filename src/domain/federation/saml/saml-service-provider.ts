// A user pool as a SAML 2.0 service provider: the messages it sends to an
// identity provider, its metadata, and the logout messages that come back.
//
// This is the module the rest of Gatehouse imports. The IdP's sign-in response
// is read and checked in saml-response.ts, and the query-string signatures of
// the HTTP-Redirect binding, ours and the IdP's, are made and verified in
// saml-redirect-binding.ts (see there for why not by node-saml).
import { generateServiceProviderMetadata, type Profile } from '@node-saml/node-saml';
import { XMLSerializer, type Element } from '@xmldom/xmldom';
import { describeRejection, newMessageId, samlClient } from './saml-client.js';
import { certificateBody, type SamlKeyPair } from './saml-keys.js';
import { SAML_CLOCK_SKEW_MS, SamlError, checkStatus, hasSignature, instantOf, optional, parseXml, requiredAttribute, wrongIssuer } from './saml-message.js';
import type { IdpMetadata } from './saml-metadata.js';
import { signedRedirectUrl, verifiedRedirectXml } from './saml-redirect-binding.js';
import { SAML_BINDINGS, SAML_NAMESPACES, attributeOf, childElement, isElement, parseUntrustedXml, textOf } from './saml-xml.js';

export { SAML_CLOCK_SKEW_MS, SamlError } from './saml-message.js';
export { readResponse } from './saml-response.js';

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

export type LogoutMessage =
  | { kind: 'response'; inResponseTo?: string }
  | { kind: 'request'; nameId: string; requestId: string; responseUrl: string };

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

function verifiedRedirectMessage(sp: SamlServiceProvider, params: Record<string, string>): Element {
  const xml = verifiedRedirectXml(params, logoutPayload(params), sp.metadata.signingCertificates, 'The SAML logout message');
  return parseLogoutXml(xml);
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

function sloRedirectUrlOf(sp: SamlServiceProvider): string {
  if (!sp.metadata.sloRedirectUrl) throw new SamlError('The IdP metadata names no SingleLogoutService with the HTTP-Redirect binding.');
  return sp.metadata.sloRedirectUrl;
}
