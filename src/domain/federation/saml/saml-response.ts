// Reading the IdP's sign-in response (an HTTP-POST SAMLResponse).
//
// node-saml verifies the XML signature and decrypts the assertion. What it
// reads from the system clock or leaves unchecked is checked here, on the
// assertion node-saml verified: issuer, audience, recipient and destination,
// the validity window against the caller's clock, status, and whether
// encryption was honoured.
import type { Profile } from '@node-saml/node-saml';
import type { Element } from '@xmldom/xmldom';
import { describeRejection, samlClient } from './saml-client.js';
import { SAML_CLOCK_SKEW_MS, SamlError, checkStatus, hasSignature, instantOf, optional, parseMessage, requiredAttribute, wrongIssuer } from './saml-message.js';
import { SAML_NAMESPACES, attributeOf, childElement, childElements, parseUntrustedXml, textOf } from './saml-xml.js';
import type { SamlAssertion, SamlServiceProvider } from './saml-service-provider.js';

const BEARER = 'urn:oasis:names:tc:SAML:2.0:cm:bearer';
const ASSERTION = SAML_NAMESPACES.assertion;

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

function checkIssuer(sp: SamlServiceProvider, response: Element, assertion: Element): void {
  const assertionIssuer = textOf(childElement(assertion, ASSERTION, 'Issuer'));
  if (assertionIssuer !== sp.metadata.entityId) throw wrongIssuer(sp, 'SAML assertion', assertionIssuer);
  // The Response's own Issuer is optional (SAML core §3.2.2), but must agree when present.
  const responseIssuer = textOf(childElement(response, ASSERTION, 'Issuer'));
  if (responseIssuer !== undefined && responseIssuer !== sp.metadata.entityId) throw wrongIssuer(sp, 'SAML response', responseIssuer);
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
