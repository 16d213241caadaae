import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** RFC 6238's defaults, which every authenticator app assumes: 30-second steps, 6 digits, HMAC-SHA1. */
const STEP_MS = 30_000;
const DIGITS = 6;
/** One step either side forgives a phone clock that drifts or a code typed as it rolls over. */
const WINDOW = 1;
/** 160 bits, RFC 4226's recommended key length: 32 base32 characters, as Cognito's SecretCode. */
const SECRET_BYTES = 20;

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** RFC 4648 base32 without padding, the form authenticator apps and otpauth:// URIs take. */
export function base32Encode(bytes: Uint8Array): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += ALPHABET[(buffer << (5 - bits)) & 31];
  return out;
}

/** Decodes base32 in either case, with or without padding; anything else is an error. */
export function base32Decode(text: string): Buffer {
  const bytes: number[] = [];
  let buffer = 0;
  let bits = 0;
  for (const char of text.toUpperCase().replace(/=+$/, '')) {
    const value = ALPHABET.indexOf(char);
    if (value < 0) throw new Error(`not base32: ${JSON.stringify(char)}`);
    buffer = ((buffer << 5) | value) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      bytes.push((buffer >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(bytes);
}

/** A fresh TOTP secret, base32-encoded. */
export const newTotpSecret = (): string => base32Encode(randomBytes(SECRET_BYTES));

/** RFC 4226 HOTP: HMAC-SHA1 of the 8-byte big-endian counter, dynamically truncated to `digits`. */
export function hotp(key: Uint8Array, counter: number, digits = DIGITS): string {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac('sha1', key).update(message).digest();
  const offset = mac[mac.length - 1]! & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 10 ** digits).padStart(digits, '0');
}

/** The RFC 6238 time step (T) a moment falls in. */
export const totpStep = (nowMs: number): number => Math.floor(nowMs / STEP_MS);

/** When a step's code stops being accepted: once the clock is more than the window past it. */
export const stepAcceptedUntil = (step: number): number => (step + WINDOW + 1) * STEP_MS;

/**
 * The step whose code `code` is, among the current one and its neighbours, or undefined.
 * Steps at or before `lastUsedStep` never match: a code that was accepted once is spent.
 */
export function verifyTotp(secretBase32: string, code: string, nowMs: number, lastUsedStep?: number): number | undefined {
  if (!/^\d{6}$/.test(code)) return undefined;
  const key = base32Decode(secretBase32);
  const current = totpStep(nowMs);
  let matched: number | undefined;
  // Every candidate is computed and compared, so the time taken says nothing about which one matched.
  for (let step = Math.max(0, current - WINDOW); step <= current + WINDOW; step++) {
    const fits = timingSafeEqual(Buffer.from(hotp(key, step)), Buffer.from(code));
    if (fits && step > (lastUsedStep ?? -Infinity) && matched === undefined) matched = step;
  }
  return matched;
}
