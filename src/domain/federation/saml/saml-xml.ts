// Careful reading of XML that came from outside (SAML messages and IdP
// metadata), and the SAML namespaces and bindings it is read against.
import { DOMParser, type Document, type Element } from '@xmldom/xmldom';

export const SAML_NAMESPACES = {
  metadata: 'urn:oasis:names:tc:SAML:2.0:metadata',
  protocol: 'urn:oasis:names:tc:SAML:2.0:protocol',
  assertion: 'urn:oasis:names:tc:SAML:2.0:assertion',
  xmldsig: 'http://www.w3.org/2000/09/xmldsig#',
} as const;

export const SAML_BINDINGS = {
  redirect: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect',
  post: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST',
} as const;

/**
 * Parses XML that came from outside. A DOCTYPE is refused outright: SAML never
 * needs one, and it is the door to entity expansion and external entities.
 * Every parser error is fatal, so a damaged document is never half-read.
 * Throws a plain Error saying what was wrong.
 */
export function parseUntrustedXml(xml: string): Document {
  if (/<!DOCTYPE/i.test(xml)) throw new Error('DOCTYPE declarations are not allowed');
  let document: Document;
  try {
    document = new DOMParser({ onError: stopOnErrors }).parseFromString(xml, 'text/xml');
  } catch (error) {
    throw new Error(`malformed XML (${parserComplaint(error)})`);
  }
  if (!document.documentElement) throw new Error('malformed XML (no root element)');
  return document;
}

function stopOnErrors(level: 'warning' | 'error' | 'fatalError', message: string): void {
  if (level !== 'warning') throw new Error(message);
}

// xmldom wraps what our handler threw; its own message is the useful part.
function parserComplaint(error: unknown): string {
  const cause = (error as { cause?: unknown }).cause;
  return cause instanceof Error ? cause.message : (error as Error).message;
}

export function isElement(element: Element, namespace: string, localName: string): boolean {
  return element.namespaceURI === namespace && element.localName === localName;
}

/** Direct children only: a document's meaning depends on where an element sits, not just on its name. */
export function childElements(parent: Element, namespace: string, localName: string): Element[] {
  const children: Element[] = [];
  for (const node of parent.childNodes) {
    if (node.nodeType === node.ELEMENT_NODE && isElement(node as Element, namespace, localName)) children.push(node as Element);
  }
  return children;
}

export function childElement(parent: Element | undefined, namespace: string, localName: string): Element | undefined {
  return parent && childElements(parent, namespace, localName)[0];
}

/** The trimmed text of an element, or undefined when the element is absent or empty. */
export function textOf(element: Element | undefined): string | undefined {
  return element?.textContent?.trim() || undefined;
}

/** An attribute's value, or undefined when absent (xmldom answers null or ''). */
export function attributeOf(element: Element | undefined, name: string): string | undefined {
  return element?.getAttribute(name) || undefined;
}
