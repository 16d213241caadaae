// Key pairs a user pool signs SAML requests and decrypts assertions with, and
// the test IdP signs its responses with.
// @peculiar/x509 resolves its ASN.1 classes through tsyringe, which needs the Reflect metadata API.
import 'reflect-metadata';
import { randomBytes, webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import { pemEncode } from './saml-pem.js';

export { certificateBody, pemEncode } from './saml-pem.js';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

export interface SamlKeyPair {
  privateKeyPem: string;
  certificatePem: string;
}

const RSA_SHA256: webcrypto.RsaHashedKeyGenParams = {
  name: 'RSASSA-PKCS1-v1_5',
  hash: 'SHA-256',
  publicExponent: new Uint8Array([1, 0, 1]),
  modulusLength: 2048,
};

const VALIDITY_YEARS = 10;

/** Self-signed RSA-2048/SHA-256 certificate valid 10 years from `now`, subject CN=<commonName>. */
export async function createSamlKeyPair(commonName: string, now: Date): Promise<SamlKeyPair> {
  const keys = await webcrypto.subtle.generateKey(RSA_SHA256, true, ['sign', 'verify']);
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    // A typed value is taken literally; a plain string would be parsed for DN quoting and escapes.
    name: new x509.Name([{ CN: [{ utf8String: commonName }] }]),
    serialNumber: positiveSerialNumber(),
    notBefore: now,
    notAfter: yearsAfter(now, VALIDITY_YEARS),
    signingAlgorithm: RSA_SHA256,
    keys,
  });
  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey);
  return { privateKeyPem: pemEncode('PRIVATE KEY', Buffer.from(pkcs8)), certificatePem: certificate.toString('pem') };
}

// DER serial numbers are signed: a clear top bit keeps a random one positive, as RFC 5280 requires.
function positiveSerialNumber(): string {
  const bytes = randomBytes(16);
  bytes[0]! &= 0x7f;
  return bytes.toString('hex');
}

function yearsAfter(date: Date, years: number): Date {
  const later = new Date(date);
  later.setUTCFullYear(later.getUTCFullYear() + years);
  return later;
}
