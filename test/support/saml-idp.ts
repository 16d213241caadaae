// A SAML 2.0 identity provider for tests, built with samlify (an implementation
// independent of the node-saml Gatehouse uses), on node:http at 127.0.0.1.
//
//   GET /metadata  its metadata: signing certificate, SSO (Redirect, POST), SLO (Redirect)
//   GET /sso       takes an HTTP-Redirect AuthnRequest and answers with a page
//                  that auto-submits a signed SAMLResponse to the request's ACS URL
//   GET /slo       takes an SP's LogoutRequest (recorded, then redirected back to
//                  the SP's logout service with a signed LogoutResponse) or an
//                  SP's LogoutResponse (recorded, 200)
//
// Sign-in works for any SP on the strength of its AuthnRequest. Logout needs
// the SP's logout URL, so an SP takes part in logout once registered with its
// metadata (registerServiceProvider, as an IdP administrator would); the IdP
// then also insists that the SP's requests be signed when the metadata says
// AuthnRequestsSigned="true", and verifies any signature it gets.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { inflateRawSync } from 'node:zlib';
import { certificateBody, createSamlKeyPair, type SamlKeyPair } from '../../src/domain/federation/saml/saml-keys.js';

export interface SamlIdpUser {
  nameId: string;
  nameIdFormat?: string;
  attributes: Record<string, string | string[]>;
}

/** Ways to spoil the responses the IdP sends, for negative tests. */
export interface SamlIdpTampering {
  /** Audience other than the AuthnRequest's Issuer. */
  audience?: string;
  /** NotBefore and NotOnOrAfter both in the past. */
  expired?: boolean;
  /** Change the NameID after signing. */
  breakSignature?: boolean;
  /** Sign nothing. */
  unsigned?: boolean;
  /** Issuer other than the IdP's entity id (still signed with the IdP's key). */
  issuer?: string;
  /** InResponseTo other than the AuthnRequest's ID. */
  inResponseTo?: string;
  /** Top-level StatusCode other than Success. */
  status?: string;
}

export interface SamlIdpLogout {
  kind: 'request' | 'response';
  /** The NameID a LogoutRequest named. */
  nameId?: string;
  /** The request a LogoutResponse answers. */
  inResponseTo?: string;
}

export interface SamlIdpLogoutUser {
  nameId: string;
  sessionIndex?: string;
}

export interface SamlIdp {
  /** http://127.0.0.1:port */
  url: string;
  entityId: string;
  metadataUrl: string;
  metadataXml: string;
  /** PEM */
  signingCertificate: string;
  /** Who /sso signs in from now on (until called again). */
  signInAs(user: SamlIdpUser): void;
  /** Spoils every response from now on, until called with undefined. */
  tamper(options: SamlIdpTampering | undefined): void;
  /** Encrypts assertions to this certificate (PEM), i.e. the SP's ActiveEncryptionCertificate; undefined to stop. */
  encryptTo(certificatePem: string | undefined): void;
  /** Makes an SP known for logout (its SLO URL) and for checking its signatures; replaces an earlier registration of the same entity id. */
  registerServiceProvider(metadataXml: string): void;
  /** An IdP-initiated response (no InResponseTo) for the given SP: the form to POST to its ACS URL. */
  idpInitiated(spEntityId: string, acsUrl: string, relayState?: string): Promise<{ action: string; fields: Record<string, string> }>;
  /** An IdP-initiated LogoutRequest (signed) to a registered SP's logout service, on the HTTP-Redirect binding. */
  idpInitiatedLogoutUrl(spEntityId: string, user: SamlIdpLogoutUser, relayState?: string): string;
  /** The same on the HTTP-POST binding: the form to POST. */
  idpInitiatedLogoutForm(spEntityId: string, user: SamlIdpLogoutUser, relayState?: string): { action: string; fields: Record<string, string> };
  /** Logout requests and responses the IdP received, newest last. */
  readonly logouts: SamlIdpLogout[];
  close(): Promise<void>;
}

const DEFAULT_USER: SamlIdpUser = { nameId: 'saml-user@example.com', attributes: { email: 'saml-user@example.com' } };
const ASSERTION_LIFETIME_MS = 5 * 60_000;
const SUCCESS = 'urn:oasis:names:tc:SAML:2.0:status:Success';
const RSA_SHA256 = 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256';
const BINDING = {
  redirect: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect',
  post: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST',
};
const ASSERTION_XPATH = "/*[local-name(.)='Response']/*[local-name(.)='Assertion']";

export async function startSamlIdp(): Promise<SamlIdp> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const keys = await createSamlKeyPair('Gatehouse test SAML IdP', new Date());
  const idp = new TestIdp(url, keys);
  server.on('request', (request, response) => idp.handle(request, response));
  return Object.assign(idp.api(), {
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  });
}

class TestIdp {
  readonly entityId: string;
  readonly logouts: SamlIdpLogout[] = [];
  private readonly entity: SamlifyEntity;
  private readonly serviceProviders = new Map<string, SamlifyEntity>();
  private user = DEFAULT_USER;
  private tampering: SamlIdpTampering = {};
  private encryptionCertificate: string | undefined;

  constructor(
    private readonly url: string,
    private readonly keys: SamlKeyPair,
  ) {
    this.entityId = `${url}/metadata`;
    this.entity = samlify.IdentityProvider(this.settings({ isAssertionEncrypted: false }));
  }

  api(): Omit<SamlIdp, 'close'> {
    return {
      url: this.url,
      entityId: this.entityId,
      metadataUrl: this.entityId,
      metadataXml: this.entity.getMetadata(),
      signingCertificate: this.keys.certificatePem,
      signInAs: (user) => void (this.user = user),
      tamper: (options) => void (this.tampering = options ?? {}),
      encryptTo: (certificatePem) => void (this.encryptionCertificate = certificatePem),
      registerServiceProvider: (metadataXml) => this.register(metadataXml),
      idpInitiated: async (spEntityId, acsUrl, relayState) => ({
        action: acsUrl,
        fields: { SAMLResponse: await this.signInResponse({ audience: spEntityId, acsUrl }), ...(relayState !== undefined && { RelayState: relayState }) },
      }),
      idpInitiatedLogoutUrl: (spEntityId, user, relayState) => this.logoutRequest(spEntityId, user, 'redirect', relayState).context,
      idpInitiatedLogoutForm: (spEntityId, user, relayState) => {
        const request = this.logoutRequest(spEntityId, user, 'post', relayState);
        return { action: request.entityEndpoint!, fields: { SAMLRequest: request.context, ...(relayState !== undefined && { RelayState: relayState }) } };
      },
      logouts: this.logouts,
    };
  }

  private settings(extra: Record<string, unknown>): Record<string, unknown> {
    return {
      entityID: this.entityId,
      privateKey: this.keys.privateKeyPem,
      signingCert: certificateBody(this.keys.certificatePem),
      requestSignatureAlgorithm: RSA_SHA256,
      dataEncryptionAlgorithm: 'http://www.w3.org/2009/xmlenc11#aes256-gcm',
      keyEncryptionAlgorithm: 'http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p',
      singleSignOnService: [
        { Binding: BINDING.redirect, Location: `${this.url}/sso` },
        { Binding: BINDING.post, Location: `${this.url}/sso` },
      ],
      singleLogoutService: [{ Binding: BINDING.redirect, Location: `${this.url}/slo` }],
      ...extra,
    };
  }

  private register(metadataXml: string): void {
    // Asking for signed logout messages makes samlify sign what it sends this SP.
    const sp = samlify.ServiceProvider({ metadata: metadataXml, wantLogoutRequestSigned: true, wantLogoutResponseSigned: true });
    this.serviceProviders.set(sp.entityMeta.getEntityID(), sp);
  }

  async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    try {
      const target = new URL(request.url ?? '/', this.url);
      if (request.method === 'GET' && target.pathname === '/metadata') return reply(response, 200, 'application/samlmetadata+xml', this.entity.getMetadata());
      if (request.method === 'GET' && target.pathname === '/sso') return reply(response, 200, 'text/html; charset=utf-8', await this.singleSignOn(target));
      if (request.method === 'GET' && target.pathname === '/slo') return this.singleLogout(target, response);
      reply(response, 404, 'text/plain', 'not found');
    } catch (error) {
      // The status and message are what a negative test looks at.
      reply(response, 400, 'text/plain', (error as Error).message);
    }
  }

  private async singleSignOn(target: URL): Promise<string> {
    const message = this.readRedirectMessage(target, 'SAMLRequest', samlify.Extractor.loginRequestFields);
    const request = message.extract.request as { id: string; assertionConsumerServiceUrl?: string };
    const acsUrl = request.assertionConsumerServiceUrl ?? message.sp?.entityMeta.getAssertionConsumerService('post');
    if (!acsUrl) throw new Error('the AuthnRequest names no AssertionConsumerServiceURL and its SP is not registered');
    const samlResponse = await this.signInResponse({ audience: message.issuer, acsUrl, inResponseTo: request.id });
    const relayState = target.searchParams.get('RelayState');
    return autoPostPage(acsUrl, { SAMLResponse: samlResponse, ...(relayState !== null && { RelayState: relayState }) });
  }

  private singleLogout(target: URL, response: ServerResponse): void {
    if (target.searchParams.has('SAMLResponse')) {
      const message = this.readRedirectMessage(target, 'SAMLResponse', samlify.Extractor.logoutResponseFields);
      const inResponseTo = (message.extract.response as { inResponseTo?: string } | undefined)?.inResponseTo;
      this.logouts.push({ kind: 'response', ...(inResponseTo && { inResponseTo }) });
      return reply(response, 200, 'text/plain', 'logged out');
    }
    const message = this.readRedirectMessage(target, 'SAMLRequest', samlify.Extractor.logoutRequestFields);
    if (!message.sp) throw new Error(`the service provider ${message.issuer} is not registered, so its logout URL is unknown`);
    this.logouts.push({ kind: 'request', nameId: message.extract.nameID as string });
    const relayState = target.searchParams.get('RelayState');
    const answer = this.entity.createLogoutResponse(message.sp, message, 'redirect', relayState === null ? {} : { relayState });
    response.writeHead(302, { location: answer.context }).end();
  }

  /**
   * Inflates and reads an HTTP-Redirect message, checking its signature
   * against the registered SP's signing certificate when it has one, and
   * requiring one when that SP's metadata promises signed requests.
   */
  private readRedirectMessage(target: URL, parameter: 'SAMLRequest' | 'SAMLResponse', fields: unknown): RedirectMessage {
    const encoded = target.searchParams.get(parameter);
    if (!encoded) throw new Error(`no ${parameter}`);
    const extract = samlify.Extractor.extract(inflateRawSync(Buffer.from(encoded, 'base64')).toString('utf8'), fields);
    const issuer = extract.issuer as string;
    const sp = this.serviceProviders.get(issuer);
    const signature = target.searchParams.get('Signature');
    if (signature === null && sp?.entityMeta.isAuthnRequestSigned()) throw new Error(`the ${parameter} from ${issuer} is not signed`);
    if (signature !== null && sp) {
      const verified = samlify.SamlLib.verifyMessageSignature(sp.entityMeta, signedOctets(target, parameter), Buffer.from(signature, 'base64'), target.searchParams.get('SigAlg') ?? undefined);
      if (!verified) throw new Error(`the ${parameter} signature from ${issuer} does not verify`);
    }
    return { extract, issuer, sp };
  }

  /** A redirect URL, or for 'post' the base64 request and where to POST it. */
  private logoutRequest(spEntityId: string, user: SamlIdpLogoutUser, binding: 'redirect' | 'post', relayState?: string): SamlifyMessage {
    const sp = this.serviceProviders.get(spEntityId);
    if (!sp) throw new Error(`the service provider ${spEntityId} is not registered`);
    const logoutUser = { logoutNameID: user.nameId, ...(user.sessionIndex && { sessionIndex: user.sessionIndex }) };
    return this.entity.createLogoutRequest(sp, binding, logoutUser, relayState === undefined ? {} : { relayState });
  }

  /** A base64 SAMLResponse: built from samlify's template, then (unless tampered) signed, spoiled and encrypted in that order. */
  private async signInResponse(target: { audience: string; acsUrl: string; inResponseTo?: string }): Promise<string> {
    const tampering = this.tampering;
    let xml = this.responseXml(target);
    if (!tampering.unsigned) xml = this.signAssertion(xml);
    if (tampering.breakSignature) xml = xml.replace(/(<saml:NameID[^>]*>)[^<]*/, '$1intruder@example.com');
    if (this.encryptionCertificate) return await this.encryptAssertion(xml, target.audience, this.encryptionCertificate);
    return Buffer.from(xml, 'utf8').toString('base64');
  }

  private responseXml(target: { audience: string; acsUrl: string; inResponseTo?: string }): string {
    const now = Date.now();
    const validFrom = this.tampering.expired ? now - 2 * ASSERTION_LIFETIME_MS : now;
    const validUntil = validFrom + ASSERTION_LIFETIME_MS;
    const filled = samlify.SamlLib.replaceTagsByValue(samlify.SamlLib.defaultLoginResponseTemplate.context, {
      ID: samlId(),
      AssertionID: samlId(),
      Destination: target.acsUrl,
      SubjectRecipient: target.acsUrl,
      Audience: this.tampering.audience ?? target.audience,
      Issuer: this.tampering.issuer ?? this.entityId,
      IssueInstant: new Date(now).toISOString(),
      StatusCode: this.tampering.status ?? SUCCESS,
      ConditionsNotBefore: new Date(validFrom).toISOString(),
      ConditionsNotOnOrAfter: new Date(validUntil).toISOString(),
      SubjectConfirmationDataNotOnOrAfter: new Date(validUntil).toISOString(),
      NameIDFormat: this.user.nameIdFormat,
      NameID: this.user.nameId,
      InResponseTo: this.tampering.inResponseTo ?? target.inResponseTo,
    });
    // After the tag replacement, which would escape them: these are XML, built here with their values escaped.
    return filled
      .replace('{AuthnStatement}', authnStatement(new Date(now).toISOString()))
      .replace('{AttributeStatement}', attributeStatement(this.user.attributes));
  }

  private signAssertion(xml: string): string {
    return samlify.SamlLib.constructSAMLSignature({
      rawSamlMessage: xml,
      referenceTagXPath: ASSERTION_XPATH,
      privateKey: this.keys.privateKeyPem,
      signatureAlgorithm: RSA_SHA256,
      signingCert: certificateBody(this.keys.certificatePem),
      isBase64Output: false,
      // Where SAML's schema puts it: right after the assertion's Issuer.
      signatureConfig: { prefix: 'ds', location: { reference: `${ASSERTION_XPATH}/*[local-name(.)='Issuer']`, action: 'after' } },
    });
  }

  private async encryptAssertion(xml: string, spEntityId: string, certificatePem: string): Promise<string> {
    const encryptingIdp = samlify.IdentityProvider(this.settings({ isAssertionEncrypted: true }));
    const recipient = samlify.ServiceProvider({ entityID: spEntityId, encryptCert: certificateBody(certificatePem) });
    return await samlify.SamlLib.encryptAssertion(encryptingIdp, recipient, xml);
  }
}

interface RedirectMessage {
  extract: Record<string, unknown>;
  issuer: string;
  sp: SamlifyEntity | undefined;
}

/** The signed part of a redirect query, exactly as the sender encoded it (SAML bindings §3.4.4.1). */
function signedOctets(target: URL, parameter: string): string {
  const raw = new Map(target.search.slice(1).split('&').map((pair) => [pair.slice(0, pair.indexOf('=')), pair] as const));
  return [parameter, 'RelayState', 'SigAlg'].flatMap((name) => raw.get(name) ?? []).join('&');
}

function authnStatement(instant: string): string {
  return (
    `<saml:AuthnStatement AuthnInstant="${instant}" SessionIndex="${samlId()}">` +
    '<saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef></saml:AuthnContext>' +
    '</saml:AuthnStatement>'
  );
}

function attributeStatement(attributes: Record<string, string | string[]>): string {
  const entries = Object.entries(attributes);
  if (entries.length === 0) return '';
  const rendered = entries.map(([name, value]) => {
    const values = (Array.isArray(value) ? value : [value]).map((v) => `<saml:AttributeValue xsi:type="xs:string">${escapeMarkup(v)}</saml:AttributeValue>`);
    return `<saml:Attribute Name="${escapeMarkup(name)}" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:basic">${values.join('')}</saml:Attribute>`;
  });
  return `<saml:AttributeStatement>${rendered.join('')}</saml:AttributeStatement>`;
}

function autoPostPage(action: string, fields: Record<string, string>): string {
  const inputs = Object.entries(fields).map(([name, value]) => `<input type="hidden" name="${escapeMarkup(name)}" value="${escapeMarkup(value)}">`);
  return (
    '<!DOCTYPE html><html><head><title>Signing in</title></head><body onload="document.forms[0].submit()">' +
    `<form method="post" action="${escapeMarkup(action)}">${inputs.join('')}<noscript><button type="submit">Continue</button></noscript></form>` +
    '</body></html>'
  );
}

/** Reads the auto-submitting POST form an IdP page answers with: its action and hidden fields. */
export function postFormOf(html: string): { action: string; fields: Record<string, string> } {
  const form = /<form\b[^>]*>/i.exec(html);
  if (!form) throw new Error('the page has no form');
  const action = attributesOf(form[0]).action;
  if (action === undefined) throw new Error('the form has no action');
  const fields: Record<string, string> = {};
  for (const [input] of html.matchAll(/<input\b[^>]*>/gi)) {
    const { type, name, value } = attributesOf(input);
    if (type?.toLowerCase() === 'hidden' && name !== undefined) fields[name] = value ?? '';
  }
  return { action, fields };
}

function attributesOf(tag: string): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const [, name, doubleQuoted, singleQuoted] of tag.matchAll(/([\w:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
    attributes[name!.toLowerCase()] = unescapeMarkup(doubleQuoted ?? singleQuoted ?? '');
  }
  return attributes;
}

const MARKUP_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

function escapeMarkup(text: string): string {
  return text.replace(/[&<>"']/g, (character) => MARKUP_ESCAPES[character]!);
}

function unescapeMarkup(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos);/gi, (_, entity: string) => {
    const lower = entity.toLowerCase();
    if (lower.startsWith('#x')) return String.fromCodePoint(parseInt(lower.slice(2), 16));
    if (lower.startsWith('#')) return String.fromCodePoint(parseInt(lower.slice(1), 10));
    return { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }[lower]!;
  });
}

function reply(response: ServerResponse, status: number, contentType: string, body: string): void {
  response.writeHead(status, { 'content-type': contentType }).end(body);
}

function samlId(): string {
  return `_${randomUUID()}`;
}

// --- samlify, typed as far as this file uses it ----------------------------------
//
// samlify's own typings pull in @xmldom/xmldom 0.8, whose declarations add the
// DOM library to the whole program, and this project compiles src/ and test/
// together without it. Loading samlify untyped keeps `window`, `document` and
// friends out of Gatehouse's type checking.

interface SamlifyMetadata {
  getEntityID(): string;
  getAssertionConsumerService(binding: 'post'): string | undefined;
  isAuthnRequestSigned(): boolean;
}

interface SamlifyEntity {
  entityMeta: SamlifyMetadata;
  getMetadata(): string;
  createLogoutRequest(target: SamlifyEntity, binding: 'redirect' | 'post', user: { logoutNameID: string; sessionIndex?: string }, options: { relayState?: string }): SamlifyMessage;
  createLogoutResponse(target: SamlifyEntity, requestInfo: { extract: Record<string, unknown> }, binding: 'redirect', options: { relayState?: string }): SamlifyMessage;
}

/** A redirect URL in `context`, or for the POST binding the base64 message and its `entityEndpoint`. */
interface SamlifyMessage {
  id: string;
  context: string;
  entityEndpoint?: string;
}

interface Samlify {
  setSchemaValidator(validator: { validate(xml: string): Promise<string> }): void;
  IdentityProvider(settings: Record<string, unknown>): SamlifyEntity;
  ServiceProvider(settings: Record<string, unknown>): SamlifyEntity;
  Extractor: {
    extract(xml: string, fields: unknown): Record<string, unknown>;
    loginRequestFields: unknown;
    logoutRequestFields: unknown;
    logoutResponseFields: unknown;
  };
  SamlLib: {
    defaultLoginResponseTemplate: { context: string };
    replaceTagsByValue(xml: string, values: Record<string, string | undefined>): string;
    constructSAMLSignature(options: {
      rawSamlMessage: string;
      referenceTagXPath: string;
      privateKey: string;
      signatureAlgorithm: string;
      signingCert: string;
      isBase64Output: false;
      signatureConfig: { prefix: string; location: { reference: string; action: 'after' } };
    }): string;
    encryptAssertion(source: SamlifyEntity, target: SamlifyEntity, xml: string): Promise<string>;
    verifyMessageSignature(metadata: SamlifyMetadata, octetString: string, signature: Buffer, signatureAlgorithm?: string): boolean;
  };
}

const samlify = createRequire(import.meta.url)('samlify') as Samlify;
// samlify refuses to parse anything until given a schema validator; this IdP trusts what it is sent.
samlify.setSchemaValidator({ validate: async () => 'skipped' });
