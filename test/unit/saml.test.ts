import assert from 'node:assert/strict';
import { createPrivateKey, createVerify, X509Certificate } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { certificateBody, createSamlKeyPair, type SamlKeyPair } from '../../src/domain/federation/saml/saml-keys.js';
import { MetadataError, parseIdpMetadata } from '../../src/domain/federation/saml/saml-metadata.js';
import {
  SAML_CLOCK_SKEW_MS,
  SamlError,
  authnRequestUrl,
  logoutRequestUrl,
  readLogoutMessage,
  readResponse,
  serviceProviderMetadataXml,
  type SamlServiceProvider,
} from '../../src/domain/federation/saml/saml-service-provider.js';
import { postFormOf, startSamlIdp, type SamlIdp, type SamlIdpTampering } from '../support/saml-idp.js';

const ALICE = {
  nameId: 'alice@example.com',
  nameIdFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
  attributes: { email: 'alice@example.com', groups: ['admins', 'staff'], 'custom:department': 'R&D <lab>' },
};

let idp: SamlIdp;
let signingKeys: SamlKeyPair;
let encryptionKeys: SamlKeyPair;
let strangerKeys: SamlKeyPair;

before(async () => {
  idp = await startSamlIdp();
  idp.signInAs(ALICE);
  const now = new Date();
  [signingKeys, encryptionKeys, strangerKeys] = await Promise.all([
    createSamlKeyPair('us-east-1_SamlTest signing', now),
    createSamlKeyPair('us-east-1_SamlTest encryption', now),
    createSamlKeyPair('someone else', now),
  ]);
});

after(() => idp.close());

let pools = 0;

/** A fresh pool each time, so IdP registrations made by one test do not reach another. */
function serviceProvider(overrides: Partial<SamlServiceProvider> = {}): SamlServiceProvider {
  const poolId = `us-east-1_Saml${++pools}`;
  return {
    poolId,
    entityId: `urn:amazon:cognito:sp:${poolId}`,
    acsUrl: `https://${poolId}.auth.example.com/saml2/idpresponse`,
    logoutUrl: `https://${poolId}.auth.example.com/saml2/logout`,
    metadata: parseIdpMetadata(idp.metadataXml),
    allowIdpInitiated: false,
    now: Date.now(),
    ...overrides,
  };
}

/** The browser's part: follow the AuthnRequest to the IdP and read the form it auto-submits. */
async function signIn(sp: SamlServiceProvider, relayState = 'relay-1'): Promise<{ requestId: string; action: string; fields: Record<string, string> }> {
  const { url, requestId } = await authnRequestUrl(sp, relayState);
  const page = await fetch(url, { redirect: 'manual' });
  const html = await page.text();
  assert.equal(page.status, 200, html);
  return { requestId, ...postFormOf(html) };
}

/** A sign-in during which the IdP spoils its response: the pool, and the SAMLResponse it was sent. */
async function tamperedSignIn(tampering: SamlIdpTampering): Promise<{ sp: SamlServiceProvider; samlResponse: string }> {
  const sp = serviceProvider();
  idp.tamper(tampering);
  try {
    return { sp, samlResponse: (await signIn(sp)).fields.SAMLResponse! };
  } finally {
    idp.tamper(undefined);
  }
}

async function refusal(promise: Promise<unknown>, message: RegExp): Promise<void> {
  await assert.rejects(promise, (error: Error) => {
    assert.ok(error instanceof SamlError, `${error.name}: ${error.message}`);
    assert.match(error.message, message);
    return true;
  });
}

function queryOf(url: string): Record<string, string> {
  return Object.fromEntries(new URL(url).searchParams);
}

function decoded(samlResponse: string): string {
  return Buffer.from(samlResponse, 'base64').toString('utf8');
}

// --- metadata -----------------------------------------------------------------

const MD = 'urn:oasis:names:tc:SAML:2.0:metadata';
const DS = 'http://www.w3.org/2000/09/xmldsig#';
const REDIRECT = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect';
const POST = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST';

function keyDescriptor(certificatePem: string, use?: 'signing' | 'encryption'): string {
  // Pretty-printed the way real metadata is, to show the whitespace goes.
  const body = certificateBody(certificatePem).match(/.{1,64}/g)!.join('\n          ');
  return `<md:KeyDescriptor${use ? ` use="${use}"` : ''}><ds:KeyInfo><ds:X509Data><ds:X509Certificate>
          ${body}
        </ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>`;
}

function idpEntity(entityId: string, inside: string, attributes = ''): string {
  return `<md:EntityDescriptor entityID="${entityId}">
    <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"${attributes}>${inside}</md:IDPSSODescriptor>
  </md:EntityDescriptor>`;
}

function metadataDocument(entities: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<md:EntitiesDescriptor xmlns:md="${MD}" xmlns:ds="${DS}">${entities}</md:EntitiesDescriptor>`;
}

const SSO = `<md:SingleSignOnService Binding="${REDIRECT}" Location="https://idp.example.com/sso"/>`;

describe('parseIdpMetadata', () => {
  it("reads the test IdP's metadata, as served at its metadata URL", async () => {
    const served = await fetch(idp.metadataUrl);
    assert.equal(served.status, 200);
    assert.deepEqual(parseIdpMetadata(await served.text()), {
      entityId: idp.entityId,
      ssoRedirectUrl: `${idp.url}/sso`,
      ssoPostUrl: `${idp.url}/sso`,
      sloRedirectUrl: `${idp.url}/slo`,
      signingCertificates: [certificateBody(idp.signingCertificate)],
      wantAuthnRequestsSigned: false,
    });
  });

  it('finds the SAML 2.0 IdP in an aggregate, takes signing keys and keys without use, and leaves encryption keys', () => {
    const xml = metadataDocument(
      `<md:EntityDescriptor entityID="https://sp.example.com"><md:SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"/></md:EntityDescriptor>` +
        idpEntity('https://saml1.example.com', SSO + keyDescriptor(signingKeys.certificatePem)).replace('SAML:2.0:protocol', 'SAML:1.1:protocol') +
        idpEntity(
          'https://idp.example.com',
          keyDescriptor(signingKeys.certificatePem, 'signing') +
            keyDescriptor(strangerKeys.certificatePem) +
            keyDescriptor(encryptionKeys.certificatePem, 'encryption') +
            `<md:SingleLogoutService Binding="${POST}" Location="https://idp.example.com/slo/post"/>` +
            `<md:SingleSignOnService Binding="${POST}" Location="https://idp.example.com/sso/post"/>`,
          ' WantAuthnRequestsSigned="true"',
        ),
    );
    assert.deepEqual(parseIdpMetadata(xml), {
      entityId: 'https://idp.example.com',
      ssoPostUrl: 'https://idp.example.com/sso/post',
      sloPostUrl: 'https://idp.example.com/slo/post',
      signingCertificates: [certificateBody(signingKeys.certificatePem), certificateBody(strangerKeys.certificatePem)],
      wantAuthnRequestsSigned: true,
    });
  });

  // Functions, because the keys they use are made in before().
  const refusals: Array<[string, () => string, RegExp]> = [
    ['malformed XML', () => '<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata"><oops></md:EntityDescriptor>', /^Invalid SAML metadata: malformed XML/],
    ['not XML at all', () => 'https://idp.example.com/metadata', /^Invalid SAML metadata: malformed XML/],
    [
      'a DOCTYPE (the way to external entities)',
      () => `<!DOCTYPE md:EntityDescriptor [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>${metadataDocument(idpEntity('&xxe;', SSO + keyDescriptor(signingKeys.certificatePem)))}`,
      /^Invalid SAML metadata: DOCTYPE declarations are not allowed\.$/,
    ],
    ['SP metadata', () => `<md:EntityDescriptor xmlns:md="${MD}" entityID="x"><md:SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"/></md:EntityDescriptor>`, /^Invalid SAML metadata: no IDPSSODescriptor\.$/],
    ['no signing certificate', () => metadataDocument(idpEntity('https://idp.example.com', SSO + keyDescriptor(encryptionKeys.certificatePem, 'encryption'))), /^Invalid SAML metadata: no signing certificate/],
    ['no SSO service', () => metadataDocument(idpEntity('https://idp.example.com', keyDescriptor(signingKeys.certificatePem))), /^Invalid SAML metadata: no SingleSignOnService/],
    [
      'a certificate that is not one',
      () => metadataDocument(idpEntity('https://idp.example.com', SSO + keyDescriptor('-----BEGIN CERTIFICATE-----\nTm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----'))),
      /^Invalid SAML metadata: a signing certificate is not a valid X\.509 certificate\.$/,
    ],
    ['no entityID', () => metadataDocument(idpEntity('', SSO + keyDescriptor(signingKeys.certificatePem))), /^Invalid SAML metadata: the EntityDescriptor has no entityID\.$/],
  ];
  for (const [what, xml, message] of refusals) {
    it(`refuses ${what}`, () => {
      assert.throws(() => parseIdpMetadata(xml()), (error: Error) => error instanceof MetadataError && message.test(error.message));
    });
  }
});

// --- keys ---------------------------------------------------------------------

/** DER of OBJECT IDENTIFIER 1.2.840.113549.1.1.11, sha256WithRSAEncryption. */
const SHA256_WITH_RSA_OID = Buffer.from('06092a864886f70d01010b', 'hex');

describe('createSamlKeyPair', () => {
  it('makes a self-signed RSA-2048 / SHA-256 certificate for the common name, valid ten years, matching the private key', async () => {
    const now = new Date('2030-01-02T03:04:05Z');
    const keys = await createSamlKeyPair('pool, "quoted" = odd', now);
    const certificate = new X509Certificate(keys.certificatePem);
    assert.equal(certificate.subject, certificate.issuer);
    assert.equal(certificate.toLegacyObject().subject.CN, 'pool, "quoted" = odd');
    assert.equal(new Date(certificate.validFrom).getTime(), now.getTime());
    assert.equal(new Date(certificate.validTo).toISOString(), '2040-01-02T03:04:05.000Z');
    assert.equal(certificate.publicKey.asymmetricKeyDetails?.modulusLength, 2048);
    assert.ok(certificate.raw.includes(SHA256_WITH_RSA_OID), 'signed sha256WithRSAEncryption');
    assert.ok(certificate.verify(certificate.publicKey), 'self-signed');
    assert.ok(certificate.checkPrivateKey(createPrivateKey(keys.privateKeyPem)));
  });

  it('gives the base64 body of a certificate without armour or line breaks', () => {
    const body = certificateBody(signingKeys.certificatePem);
    assert.match(body, /^[A-Za-z0-9+/]+=*$/);
    assert.deepEqual(Buffer.from(body, 'base64'), new X509Certificate(signingKeys.certificatePem).raw);
  });
});

// --- sign-in ------------------------------------------------------------------

describe('sign-in: AuthnRequest and Response', () => {
  it("signs the user in: the IdP's form posts to the ACS URL, and the assertion names the user, attributes and request", async () => {
    const sp = serviceProvider();
    const { requestId, action, fields } = await signIn(sp, 'state with spaces & symbols');
    assert.equal(action, sp.acsUrl);
    assert.equal(fields.RelayState, 'state with spaces & symbols');
    const assertion = await readResponse(sp, fields.SAMLResponse!);
    assert.equal(assertion.inResponseTo, requestId);
    assert.equal(assertion.issuer, idp.entityId);
    assert.equal(assertion.nameId, ALICE.nameId);
    assert.equal(assertion.nameIdFormat, ALICE.nameIdFormat);
    assert.deepEqual(assertion.attributes, ALICE.attributes);
    assert.match(assertion.sessionIndex ?? '', /^_/);
    assert.match(assertion.assertionId, /^_/);
    assert.ok(Math.abs(assertion.notOnOrAfter - (Date.now() + 5 * 60_000)) < 10_000, 'expires with the five minutes the IdP gives it');
  });

  it('sends an unsigned AuthnRequest to the SSO Redirect URL when the pool has no signing key', async () => {
    const { url, requestId } = await authnRequestUrl(serviceProvider(), 'r');
    assert.ok(url.startsWith(`${idp.url}/sso?SAMLRequest=`));
    assert.deepEqual(Object.keys(queryOf(url)), ['SAMLRequest', 'RelayState']);
    assert.match(requestId, /^_[0-9a-f]{40}$/);
  });

  it('signs the AuthnRequest with rsa-sha256 over the query as sent, which the IdP checks against the SP metadata', async () => {
    const sp = serviceProvider({ signing: signingKeys });
    idp.registerServiceProvider(serviceProviderMetadataXml(sp));
    // Spaces and !'()~ are where the ways of encoding a query differ.
    const { url } = await authnRequestUrl(sp, "relay (it's ~here!)");
    const query = queryOf(url);
    assert.equal(query.SigAlg, 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256');
    const signedPart = new URL(url).search.slice(1).replace(/&Signature=.*$/, '');
    assert.ok(createVerify('RSA-SHA256').update(signedPart).verify(signingKeys.certificatePem, query.Signature!, 'base64'));

    assert.equal((await fetch(url)).status, 200);
    const forged = url.replace('RelayState=relay', 'RelayState=other');
    assert.notEqual(forged, url);
    assert.equal((await fetch(forged)).status, 400, 'the IdP notices a changed query');
    const unsigned = (await authnRequestUrl({ ...sp, signing: undefined }, 'relay')).url;
    assert.equal((await fetch(unsigned)).status, 400, 'the IdP wants signed requests from this SP');
  });

  it('refuses to build an AuthnRequest when the IdP has no HTTP-Redirect SSO service', async () => {
    const sp = serviceProvider();
    await refusal(authnRequestUrl({ ...sp, metadata: { ...sp.metadata, ssoRedirectUrl: undefined } }, 'r'), /no SingleSignOnService with the HTTP-Redirect binding/);
  });

  it('accepts the same response until its NotOnOrAfter, give or take the clock skew, on the caller\'s clock', async () => {
    const sp = serviceProvider();
    const { fields } = await signIn(sp);
    const { notOnOrAfter } = await readResponse(sp, fields.SAMLResponse!);
    await readResponse({ ...sp, now: notOnOrAfter + SAML_CLOCK_SKEW_MS - 1 }, fields.SAMLResponse!);
    await refusal(readResponse({ ...sp, now: notOnOrAfter + SAML_CLOCK_SKEW_MS }, fields.SAMLResponse!), /^The SAML assertion expired at /);
    await refusal(readResponse({ ...sp, now: Date.now() - 10 * 60_000 }, fields.SAMLResponse!), /^The SAML assertion is not yet valid/);
  });

  it('reports what the IdP said InResponseTo, for the caller to compare with the request it stored', async () => {
    const sp = serviceProvider();
    idp.tamper({ inResponseTo: '_someone-elses-request' });
    try {
      const { requestId, fields } = await signIn(sp);
      const assertion = await readResponse(sp, fields.SAMLResponse!);
      assert.equal(assertion.inResponseTo, '_someone-elses-request');
      assert.notEqual(assertion.inResponseTo, requestId);
    } finally {
      idp.tamper(undefined);
    }
  });

  describe('refuses', () => {
    it('a response whose signed content was changed', async () => {
      const { sp, samlResponse } = await tamperedSignIn({ breakSignature: true });
      assert.match(decoded(samlResponse), /intruder@example\.com/);
      await refusal(readResponse(sp, samlResponse), /^The SAML response signature does not verify against the IdP's signing certificates\.$/);
    });

    it('a response signed by a key the metadata does not list', async () => {
      const sp = serviceProvider();
      const { fields } = await signIn(sp);
      const impostor = { ...sp, metadata: { ...sp.metadata, signingCertificates: [certificateBody(strangerKeys.certificatePem)] } };
      await refusal(readResponse(impostor, fields.SAMLResponse!), /signature does not verify/);
    });

    it('an unsigned response', async () => {
      const { sp, samlResponse } = await tamperedSignIn({ unsigned: true });
      await refusal(readResponse(sp, samlResponse), /^The SAML response is not signed/);
    });

    it('an assertion for another audience', async () => {
      const { sp, samlResponse } = await tamperedSignIn({ audience: 'urn:amazon:cognito:sp:us-east-1_Other' });
      await refusal(readResponse(sp, samlResponse), new RegExp(`for audience urn:amazon:cognito:sp:us-east-1_Other, not ${sp.entityId}\\.$`));
    });

    it('an expired assertion', async () => {
      const { sp, samlResponse } = await tamperedSignIn({ expired: true });
      await refusal(readResponse(sp, samlResponse), /^The SAML assertion expired at /);
    });

    it('an assertion from another issuer, even signed with the right key', async () => {
      const { sp, samlResponse } = await tamperedSignIn({ issuer: 'https://evil.example.com' });
      await refusal(readResponse(sp, samlResponse), /issued by https:\/\/evil\.example\.com, not by the IdP http:\/\/127\.0\.0\.1:\d+\/metadata\.$/);
    });

    it('a response whose status is not Success, naming the status', async () => {
      const { sp, samlResponse } = await tamperedSignIn({ status: 'urn:oasis:names:tc:SAML:2.0:status:Requester' });
      await refusal(readResponse(sp, samlResponse), /^The IdP answered with status urn:oasis:names:tc:SAML:2\.0:status:Requester, not Success\.$/);
    });

    it('a response addressed to another ACS URL', async () => {
      const sp = serviceProvider();
      const { fields } = await signIn(sp);
      await refusal(readResponse({ ...sp, acsUrl: 'https://elsewhere.example.com/saml2/idpresponse' }, fields.SAMLResponse!), new RegExp(`addressed to ${sp.acsUrl}, not https://elsewhere`));
    });

    it('what is not a SAML response', async () => {
      const sp = serviceProvider();
      await refusal(readResponse(sp, Buffer.from('not xml').toString('base64')), /^The SAML response is malformed/);
      const withDoctype = Buffer.from('<!DOCTYPE x [<!ENTITY a "b">]><samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol"/>').toString('base64');
      await refusal(readResponse(sp, withDoctype), /DOCTYPE declarations are not allowed/);
      const logout = Buffer.from('<samlp:LogoutResponse xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol"/>').toString('base64');
      await refusal(readResponse(sp, logout), /its root is LogoutResponse, not samlp:Response/);
    });
  });

  describe('IdP-initiated', () => {
    it('is refused unless the identity provider allows it', async () => {
      const sp = serviceProvider();
      const { action, fields } = await idp.idpInitiated(sp.entityId, sp.acsUrl, 'from-idp');
      assert.equal(action, sp.acsUrl);
      assert.equal(fields.RelayState, 'from-idp');
      await refusal(readResponse(sp, fields.SAMLResponse!), /answers no request \(IdP-initiated sign-in\)/);
      const assertion = await readResponse({ ...sp, allowIdpInitiated: true }, fields.SAMLResponse!);
      assert.equal(assertion.inResponseTo, undefined);
      assert.equal(assertion.nameId, ALICE.nameId);
    });
  });

  describe('encrypted assertions', () => {
    it('are decrypted with the pool key, and plain ones are then refused', async () => {
      const sp = serviceProvider({ decryption: encryptionKeys });
      idp.encryptTo(encryptionKeys.certificatePem);
      let samlResponse: string;
      try {
        samlResponse = (await signIn(sp)).fields.SAMLResponse!;
      } finally {
        idp.encryptTo(undefined);
      }
      assert.match(decoded(samlResponse), /EncryptedAssertion/);
      assert.doesNotMatch(decoded(samlResponse), /alice@example\.com/);
      const assertion = await readResponse(sp, samlResponse);
      assert.equal(assertion.nameId, ALICE.nameId);
      assert.deepEqual(assertion.attributes, ALICE.attributes);

      const plain = (await signIn(sp)).fields.SAMLResponse!;
      await refusal(readResponse(sp, plain), /^The SAML assertion is not encrypted, and this identity provider is set to send encrypted assertions\.$/);
    });

    it('are refused when the pool has no key to decrypt them with', async () => {
      idp.encryptTo(encryptionKeys.certificatePem);
      try {
        const sp = serviceProvider();
        await refusal(readResponse(sp, (await signIn(sp)).fields.SAMLResponse!), /encrypted, and this identity provider has no encryption key/);
      } finally {
        idp.encryptTo(undefined);
      }
    });

    it('are refused when encrypted to another key', async () => {
      const sp = serviceProvider({ decryption: encryptionKeys });
      idp.encryptTo(strangerKeys.certificatePem);
      try {
        await refusal(readResponse(sp, (await signIn(sp)).fields.SAMLResponse!), /could not be decrypted/);
      } finally {
        idp.encryptTo(undefined);
      }
    });
  });
});

// --- logout -------------------------------------------------------------------

describe('logout', () => {
  function registeredServiceProvider(): SamlServiceProvider {
    const sp = serviceProvider({ signing: signingKeys });
    idp.registerServiceProvider(serviceProviderMetadataXml(sp));
    return sp;
  }

  it('SP-initiated: the IdP takes our signed LogoutRequest and sends back a LogoutResponse we accept', async () => {
    const sp = registeredServiceProvider();
    const user = await readResponse(sp, (await signIn(sp)).fields.SAMLResponse!);
    const { url, requestId } = await logoutRequestUrl(sp, user, 'bye (now)');
    assert.ok(url.startsWith(`${idp.url}/slo?SAMLRequest=`));

    const answer = await fetch(url, { redirect: 'manual' });
    assert.equal(answer.status, 302, await answer.text());
    assert.deepEqual(idp.logouts.at(-1), { kind: 'request', nameId: ALICE.nameId });
    const location = answer.headers.get('location')!;
    assert.ok(location.startsWith(`${sp.logoutUrl}?SAMLResponse=`));
    assert.equal(queryOf(location).RelayState, 'bye (now)');
    assert.deepEqual(await readLogoutMessage(sp, queryOf(location)), { kind: 'response', inResponseTo: requestId });
  });

  it('IdP-initiated (HTTP-Redirect): we read the request, and the IdP accepts our signed LogoutResponse', async () => {
    const sp = registeredServiceProvider();
    const url = idp.idpInitiatedLogoutUrl(sp.entityId, { nameId: ALICE.nameId, sessionIndex: '_session-1' }, "idp relay (it's ~1!)");
    assert.ok(url.startsWith(`${sp.logoutUrl}?SAMLRequest=`));
    const message = await readLogoutMessage(sp, queryOf(url));
    assert.equal(message.kind, 'request');
    if (message.kind !== 'request') return;
    assert.equal(message.nameId, ALICE.nameId);
    assert.ok(message.responseUrl.startsWith(`${idp.url}/slo?SAMLResponse=`));
    assert.equal(queryOf(message.responseUrl).RelayState, "idp relay (it's ~1!)");

    const answer = await fetch(message.responseUrl);
    assert.equal(answer.status, 200, await answer.text());
    assert.deepEqual(idp.logouts.at(-1), { kind: 'response', inResponseTo: message.requestId });
  });

  it('IdP-initiated (HTTP-POST): the signature in the XML is checked', async () => {
    const sp = registeredServiceProvider();
    const { action, fields } = idp.idpInitiatedLogoutForm(sp.entityId, { nameId: ALICE.nameId });
    assert.equal(action, sp.logoutUrl);
    const message = await readLogoutMessage(sp, fields);
    assert.equal(message.kind === 'request' && message.nameId, ALICE.nameId);

    const altered = Buffer.from(decoded(fields.SAMLRequest!).replace(ALICE.nameId, 'mallory@example.com')).toString('base64');
    await refusal(readLogoutMessage(sp, { SAMLRequest: altered }), /^The SAML logout message signature does not verify/);
    const unsigned = Buffer.from(decoded(fields.SAMLRequest!).replace(/<ds:Signature[\s\S]*<\/ds:Signature>/, '')).toString('base64');
    await refusal(readLogoutMessage(sp, { SAMLRequest: unsigned }), /^The SAML logout message is not signed\.$/);
  });

  describe('refuses a redirect logout message', () => {
    it('whose query was changed, or whose signature is from a key the metadata does not list', async () => {
      const sp = registeredServiceProvider();
      const query = queryOf(idp.idpInitiatedLogoutUrl(sp.entityId, { nameId: ALICE.nameId }, 'relay'));
      await refusal(readLogoutMessage(sp, { ...query, RelayState: 'changed' }), /^The SAML logout message signature does not verify/);
      const impostor = { ...sp, metadata: { ...sp.metadata, signingCertificates: [certificateBody(strangerKeys.certificatePem)] } };
      await refusal(readLogoutMessage(impostor, query), /signature does not verify/);
    });

    it('that is unsigned', async () => {
      const sp = registeredServiceProvider();
      const { SAMLRequest } = queryOf(idp.idpInitiatedLogoutUrl(sp.entityId, { nameId: ALICE.nameId }));
      await refusal(readLogoutMessage(sp, { SAMLRequest: SAMLRequest! }), /^The SAML logout message is not signed\.$/);
    });

    it('from another issuer', async () => {
      const sp = registeredServiceProvider();
      const query = queryOf(idp.idpInitiatedLogoutUrl(sp.entityId, { nameId: ALICE.nameId }));
      const elsewhere = { ...sp, metadata: { ...sp.metadata, entityId: 'https://other-idp.example.com' } };
      await refusal(readLogoutMessage(elsewhere, query), /issued by http:\/\/127\.0\.0\.1:\d+\/metadata, not by the IdP https:\/\/other-idp\.example\.com\.$/);
    });

    it('with neither SAMLRequest nor SAMLResponse', async () => {
      await refusal(readLogoutMessage(serviceProvider(), { RelayState: 'x' }), /neither SAMLRequest nor SAMLResponse/);
    });
  });
});

// --- SP metadata ----------------------------------------------------------------

describe('serviceProviderMetadataXml', () => {
  it('describes the pool: entity id, ACS (POST), SLO (Redirect and POST), signing and encryption certificates', () => {
    const sp = serviceProvider({ signing: signingKeys, decryption: encryptionKeys });
    const xml = serviceProviderMetadataXml(sp);
    assert.match(xml, new RegExp(`entityID="${sp.entityId}"`));
    assert.match(xml, new RegExp(`<AssertionConsumerService [^>]*Binding="${POST}" Location="${sp.acsUrl}"`));
    assert.match(xml, new RegExp(`<SingleLogoutService Binding="${REDIRECT}" Location="${sp.logoutUrl}"/>`));
    assert.match(xml, new RegExp(`<SingleLogoutService Binding="${POST}" Location="${sp.logoutUrl}"/>`));
    assert.match(xml, /AuthnRequestsSigned="true"/);
    assert.match(xml, /WantAssertionsSigned="true"/);
    for (const [use, keys] of [['signing', signingKeys], ['encryption', encryptionKeys]] as const) {
      const certificate = new RegExp(`<KeyDescriptor use="${use}">[\\s\\S]*?<ds:X509Certificate>([^<]+)</ds:X509Certificate>`).exec(xml)?.[1];
      assert.equal(certificate?.replace(/\s+/g, ''), certificateBody(keys.certificatePem), use);
    }
  });

  it('lists no keys for a pool that neither signs nor decrypts', () => {
    const xml = serviceProviderMetadataXml(serviceProvider());
    assert.doesNotMatch(xml, /KeyDescriptor/);
    assert.match(xml, /AuthnRequestsSigned="false"/);
  });
});
