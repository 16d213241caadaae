// Everything of the SAML layer that needs its XML and X.509 libraries, loaded the first time a pool
// uses SAML (saml-loader.ts): they cost a server's start about half a second that most installs never need.
export { authnRequestUrl, logoutRequestUrl, readLogoutMessage, readResponse, serviceProviderMetadataXml } from './saml-service-provider.js';
export { parseIdpMetadata } from './saml-metadata.js';
export { createSamlKeyPair } from './saml-keys.js';
