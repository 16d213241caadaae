// The SAML layer's refusals, in a module of their own: the rest of Gatehouse tells them apart
// without loading the XML and X.509 libraries the layer itself needs (see saml-runtime.ts).

/** A SAML message refused; the message says what was wrong with it. */
export class SamlError extends Error {
  override name = 'SamlError';
}

/** IdP metadata that cannot be used; the message is shown to API callers. */
export class MetadataError extends Error {
  override name = 'MetadataError';
}
