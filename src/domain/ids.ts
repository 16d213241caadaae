import { randomBytes, randomInt } from 'node:crypto';

const ALPHANUMERIC = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** Uniformly random characters from `alphabet` (randomInt rejects biased draws). */
function randomString(alphabet: string, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[randomInt(alphabet.length)];
  return out;
}

/** `us-east-1_AbC123xyZ`: clients parse the region before `_`; SRP uses the part after it. */
export const newPoolId = (region: string) => `${region}_${randomString(ALPHANUMERIC, 9)}`;

/** The region a pool id names: its primary region, where the pool was made. */
export const regionOfPoolId = (poolId: string) => poolId.slice(0, poolId.indexOf('_'));

/**
 * An id that sorts by `now` (epoch ms, base 36, fixed width) and is unique after it: newest last,
 * across nodes and workers, so "newest first, before this one" is an index range.
 */
export const timeOrderedId = (now: number) => `${timeOrderedPrefix(now)}${randomString(ALPHANUMERIC, 12)}`;

/** What every time-ordered id made at `now` or later sorts at or after: "since then" as an index range. */
export const timeOrderedPrefix = (now: number) => now.toString(36).padStart(9, '0');

/** A random number of `bytes` bytes in base 32 (0-9a-v), zero-padded to a fixed width. */
const base32 = (bytes: number, width: number) => BigInt(`0x${randomBytes(bytes).toString('hex')}`).toString(32).padStart(width, '0');

/** 128 random bits as 26 base-32 characters: the look of Cognito's app client ids. */
export const newClientId = () => base32(16, 26);

/** 256 random bits as 52 base-32 characters, like Cognito's generated client secrets. */
export const newClientSecret = () => base32(32, 52);

/** Cognito's token session ids: `tkn` and 25 lowercase letters and digits; these sort by `now`. */
export const newTokenSessionId = (now: number) => `tkn${timeOrderedPrefix(now)}${randomString('abcdefghijklmnopqrstuvwxyz0123456789', 16)}`;
