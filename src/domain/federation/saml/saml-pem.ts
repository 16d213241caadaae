// PEM text, without the X.509 library saml-keys.ts needs to make certificates.

/** The base64 body of a PEM document without armour or whitespace (what Cognito's GetSigningCertificate returns). */
export function certificateBody(pem: string): string {
  return pem.replace(/-----(BEGIN|END) [A-Z0-9 ]+-----/g, '').replace(/\s+/g, '');
}

/** DER in PEM armour, in the 64-character lines RFC 7468 asks for. */
export function pemEncode(label: 'CERTIFICATE' | 'PRIVATE KEY', der: Buffer): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}
