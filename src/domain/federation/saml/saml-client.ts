// node-saml as a user pool uses it: building messages, verifying XML
// signatures and decrypting assertions. Every other check is Gatehouse's own.
import { randomBytes } from 'node:crypto';
import { SAML, ValidateInResponseTo } from '@node-saml/node-saml';
import type { SamlServiceProvider } from './saml-service-provider.js';

/**
 * node-saml configured for this pool. Its own time checks are off
 * (acceptedClockSkewMs -1) because it reads the system clock, and its audience
 * check is off because saml-response.ts does it with the rest; what remains is
 * building messages, verifying XML signatures and decrypting.
 */
export function samlClient(sp: SamlServiceProvider, messageId: string = newMessageId(), logoutUrl?: string): SAML {
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

// SAML IDs are xs:ID, which must not start with a digit.
export function newMessageId(): string {
  return `_${randomBytes(20).toString('hex')}`;
}

// node-saml's errors say "signature" when one fails; anything else about an
// encrypted assertion comes from decrypting it (xml-encryption or OpenSSL).
export function describeRejection(error: unknown, what: string, encrypted = false): string {
  const reason = (error as Error).message ?? String(error);
  if (/signature/i.test(reason)) return `${what} signature does not verify against the IdP's signing certificates.`;
  if (encrypted) return `${what} could not be decrypted with this identity provider's encryption key (${reason}).`;
  return `${what} is malformed (${reason}).`;
}
