// Reading a SAML 2.0 identity provider's metadata (what CreateIdentityProvider
// takes as MetadataFile or fetches from MetadataURL).
import { MetadataError } from './saml-errors.js';
import { X509Certificate } from 'node:crypto';
import type { Document, Element } from '@xmldom/xmldom';
import { SAML_BINDINGS, SAML_NAMESPACES, attributeOf, childElements, isElement, parseUntrustedXml } from './saml-xml.js';

export interface IdpMetadata {
  entityId: string;
  /** SingleSignOnService with the HTTP-Redirect binding. */
  ssoRedirectUrl?: string;
  /** SingleSignOnService with the HTTP-POST binding. */
  ssoPostUrl?: string;
  /** SingleLogoutService with the HTTP-Redirect binding. */
  sloRedirectUrl?: string;
  /** SingleLogoutService with the HTTP-POST binding. */
  sloPostUrl?: string;
  /** Base64 DER bodies (no PEM armour, no whitespace) of the KeyDescriptors for signing (use="signing" or no use). */
  signingCertificates: string[];
  wantAuthnRequestsSigned: boolean;
}

/** Metadata Gatehouse cannot use; the message is meant for API callers. */
const MD = SAML_NAMESPACES.metadata;

export function parseIdpMetadata(xml: string): IdpMetadata {
  const root = metadataDocument(xml).documentElement!;
  const { entity, descriptor } = identityProviderOf(root);
  const entityId = attributeOf(entity, 'entityID');
  if (!entityId) throw invalid('the EntityDescriptor has no entityID');
  const metadata: IdpMetadata = {
    entityId,
    ssoRedirectUrl: endpoint(descriptor, 'SingleSignOnService', SAML_BINDINGS.redirect),
    ssoPostUrl: endpoint(descriptor, 'SingleSignOnService', SAML_BINDINGS.post),
    sloRedirectUrl: endpoint(descriptor, 'SingleLogoutService', SAML_BINDINGS.redirect),
    sloPostUrl: endpoint(descriptor, 'SingleLogoutService', SAML_BINDINGS.post),
    signingCertificates: signingCertificates(descriptor),
    wantAuthnRequestsSigned: isTrue(attributeOf(descriptor, 'WantAuthnRequestsSigned')),
  };
  if (!metadata.ssoRedirectUrl && !metadata.ssoPostUrl) throw invalid('no SingleSignOnService with the HTTP-Redirect or HTTP-POST binding');
  if (metadata.signingCertificates.length === 0) throw invalid('no signing certificate in the IDPSSODescriptor');
  return withoutUndefined(metadata);
}

function invalid(reason: string): MetadataError {
  return new MetadataError(`Invalid SAML metadata: ${reason}.`);
}

function metadataDocument(xml: string): Document {
  try {
    return parseUntrustedXml(xml);
  } catch (error) {
    throw invalid((error as Error).message);
  }
}

/** The first entity with an IDPSSODescriptor for SAML 2.0: metadata aggregates (EntitiesDescriptor) list SPs and SAML 1 IdPs too. */
function identityProviderOf(root: Element): { entity: Element; descriptor: Element } {
  const entities = isElement(root, MD, 'EntityDescriptor')
    ? [root]
    : isElement(root, MD, 'EntitiesDescriptor')
      ? [...root.getElementsByTagNameNS(MD, 'EntityDescriptor')]
      : [];
  for (const entity of entities) {
    const descriptor = childElements(entity, MD, 'IDPSSODescriptor').find(supportsSaml2);
    if (descriptor) return { entity, descriptor };
  }
  throw invalid('no IDPSSODescriptor');
}

function supportsSaml2(descriptor: Element): boolean {
  return (attributeOf(descriptor, 'protocolSupportEnumeration') ?? '').split(/\s+/).includes(SAML_NAMESPACES.protocol);
}

function endpoint(descriptor: Element, service: string, binding: string): string | undefined {
  const match = childElements(descriptor, MD, service).find((element) => element.getAttribute('Binding') === binding);
  return attributeOf(match, 'Location')?.trim() || undefined;
}

// A KeyDescriptor without `use` serves both signing and encryption (SAML metadata §2.4.1.1).
function signingCertificates(descriptor: Element): string[] {
  const bodies = childElements(descriptor, MD, 'KeyDescriptor')
    .filter((key) => (key.getAttribute('use') || 'signing') === 'signing')
    .flatMap((key) => x509CertificatesIn(key));
  return [...new Set(bodies)];
}

function x509CertificatesIn(keyDescriptor: Element): string[] {
  const DS = SAML_NAMESPACES.xmldsig;
  return childElements(keyDescriptor, DS, 'KeyInfo')
    .flatMap((keyInfo) => childElements(keyInfo, DS, 'X509Data'))
    .flatMap((data) => childElements(data, DS, 'X509Certificate'))
    .map((certificate) => checkedCertificateBody((certificate.textContent ?? '').replace(/\s+/g, '')));
}

function checkedCertificateBody(body: string): string {
  try {
    new X509Certificate(Buffer.from(body, 'base64'));
    return body;
  } catch {
    throw invalid('a signing certificate is not a valid X.509 certificate');
  }
}

// xs:boolean allows "1" as well as "true".
function isTrue(value: string | undefined): boolean {
  return value === 'true' || value === '1';
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

export { MetadataError };
