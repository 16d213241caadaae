// What every SAML message from the IdP goes through, whichever binding brought
// it and whatever it answers: parsing, the status check, and the error and
// small checks the sign-in and logout readers share.
import { SamlError } from './saml-errors.js';
import type { Element } from '@xmldom/xmldom';
import { SAML_NAMESPACES, attributeOf, childElement, childElements, isElement, parseUntrustedXml, textOf } from './saml-xml.js';
import type { SamlServiceProvider } from './saml-service-provider.js';

/** A SAML message Gatehouse refuses; the message says what was wrong. */
/**
 * How far the IdP's clock may be from ours when judging NotBefore and
 * NotOnOrAfter. A minute absorbs ordinary NTP drift while staying well inside
 * the few minutes IdPs give a bearer assertion, so an expired one still fails.
 */
export const SAML_CLOCK_SKEW_MS = 60_000;

const SUCCESS = 'urn:oasis:names:tc:SAML:2.0:status:Success';
const PROTOCOL = SAML_NAMESPACES.protocol;

export function parseMessage(base64: string, localName: string, what: string): Element {
  const root = parseXml(Buffer.from(base64, 'base64').toString('utf8'), what);
  if (!isElement(root, PROTOCOL, localName)) throw new SamlError(`${what} is malformed (its root is ${root.localName}, not samlp:${localName}).`);
  return root;
}

export function parseXml(xml: string, what: string): Element {
  try {
    return parseUntrustedXml(xml).documentElement!;
  } catch (error) {
    throw new SamlError(`${what} is malformed (${(error as Error).message}).`);
  }
}

/** Refuses a response or logout answer whose top-level status is not Success, naming the codes and message the IdP gave. */
export function checkStatus(message: Element, answered: string): void {
  const status = childElement(message, PROTOCOL, 'Status');
  const code = childElement(status, PROTOCOL, 'StatusCode');
  const top = attributeOf(code, 'Value');
  if (top === SUCCESS) return;
  const detail = attributeOf(childElement(code, PROTOCOL, 'StatusCode'), 'Value');
  const statusMessage = textOf(childElement(status, PROTOCOL, 'StatusMessage'));
  throw new SamlError(`${answered} with status ${top ?? '(none)'}${detail ? ` (${detail})` : ''}${statusMessage ? `: ${statusMessage}` : ''}, not Success.`);
}

export function hasSignature(element: Element): boolean {
  return childElements(element, SAML_NAMESPACES.xmldsig, 'Signature').length > 0;
}

export function wrongIssuer(sp: SamlServiceProvider, what: string, issuer: string | undefined): SamlError {
  return new SamlError(`The ${what} was issued by ${issuer ?? '(no issuer)'}, not by the IdP ${sp.metadata.entityId}.`);
}

export function requiredAttribute(element: Element, name: string, what: string): string {
  const value = attributeOf(element, name);
  if (!value) throw new SamlError(`${what} has no ${name}.`);
  return value;
}

export function instantOf(element: Element | undefined, name: string): number | undefined {
  const value = attributeOf(element, name);
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new SamlError(`The SAML message has an unreadable ${name}: ${value}.`);
  return ms;
}

export function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

export { SamlError };
