import { randomInt, timingSafeEqual } from 'node:crypto';
import type { CodeDeliveryDetailsType } from '@aws-sdk/client-cognito-identity-provider';
import type { Clock } from '../../clock.js';
import type { Storage, UserRecord } from '../../storage/types.js';
import { CognitoError } from '../errors.js';
import type { SecretBox } from '../keys/secret-box.js';
import type { MessagePurpose, Messenger } from '../messages/messenger.js';
import type { PoolSettings } from '../pools/pool-settings.js';
import type { Caller } from '../triggers/caller.js';
import { pendingAttributesOf } from '../users/attribute-writes.js';

const HOUR = 3_600_000;
/** Cognito's code lifetimes: a day to confirm a sign-up or verify an attribute, an hour to reset a password. */
const LIFETIME: Record<string, number> = { signup: 24 * HOUR, forgot_password: HOUR };
const VERIFY_LIFETIME = 24 * HOUR;
const MAX_WRONG_GUESSES = 5;

const DEFAULT_MESSAGE = 'Your verification code is {####}. ';
const DEFAULT_SUBJECT = 'Your verification code';

export type CodeChannel = 'email' | 'phone_number';

export interface CodeMessage {
  /** The text, with `{####}` where the code goes. */
  message: string;
  subject: string;
  lifetimeMs: number;
}

/** `t***@t***` for test@test.com and `+*******1234`, as CodeDeliveryDetails shows them. */
export function maskDestination(attribute: CodeChannel, value: string): string {
  if (attribute === 'phone_number') return `+${'*'.repeat(Math.max(0, value.length - 5))}${value.slice(-4)}`;
  const at = value.lastIndexOf('@');
  return `${value.slice(0, 1)}***@${value.slice(at + 1, at + 2)}***`;
}

/**
 * What an unknown user is told a code went to, with PreventUserExistenceErrors: the channel a
 * user of this pool would most likely have, and a masked address that stays the same for the
 * name (so asking twice does not give it away), drawn from the name itself when it is one.
 */
export function decoyDelivery(secrets: SecretBox, poolId: string, name: string, channels: CodeChannel[]): CodeDeliveryDetailsType {
  const looksLike: CodeChannel | undefined = /^[^@\s]+@[^@\s]+$/.test(name) ? 'email' : /^\+\d+$/.test(name) ? 'phone_number' : undefined;
  const channel = looksLike ?? channels[0] ?? 'email';
  const digest = secrets.digest(`decoy-destination:${poolId}:${name}`);
  const letter = (byte: number) => String.fromCharCode(97 + (byte % 26));
  const destination =
    looksLike === channel
      ? name
      : channel === 'email'
        ? `${letter(digest[0]!)}x@${letter(digest[1]!)}x.com`
        : `+1${Array.from(digest.subarray(2, 12), (byte) => byte % 10).join('')}`;
  return { Destination: maskDestination(channel, destination), DeliveryMedium: channel === 'email' ? 'EMAIL' : 'SMS', AttributeName: channel };
}

/** Cognito's answer to a wrong verification code (and, with PreventUserExistenceErrors, to any code of an unknown user). */
export const wrongCode = () => new CognitoError('CodeMismatchException', 'Invalid verification code provided, please try again.');

/**
 * Six-digit codes: one live code per user and purpose, stored as a digest keyed with the server key
 * (a million candidates are no obstacle to an unkeyed hash), with a cap on guesses that holds
 * however many arrive at once.
 */
export class VerificationCodes {
  constructor(
    private readonly storage: Storage,
    private readonly messenger: Messenger,
    private readonly secrets: SecretBox,
    private readonly clock: Clock,
  ) {}

  /** Makes a new code (replacing the last one), sends it, and describes where it went. */
  async send(settings: PoolSettings, user: UserRecord, purpose: string, attribute: CodeChannel, why: MessagePurpose, caller: Caller): Promise<CodeDeliveryDetailsType> {
    const template = settings.VerificationMessageTemplate;
    const email = attribute === 'email';
    return this.sendWith(settings, user, purpose, attribute, why, caller, {
      message: (email ? template?.EmailMessage : template?.SmsMessage) ?? DEFAULT_MESSAGE,
      subject: template?.EmailSubject ?? DEFAULT_SUBJECT,
      lifetimeMs: LIFETIME[purpose] ?? VERIFY_LIFETIME,
    });
  }

  /**
   * A code that verifies a user's email or phone number (`verify:<attribute>`), sent to the value
   * waiting for verification when there is one, else to the current value.
   */
  sendAttributeVerification(settings: PoolSettings, user: UserRecord, channel: CodeChannel, why: MessagePurpose, caller: Caller): Promise<CodeDeliveryDetailsType> {
    const target = pendingAttributesOf(user)[channel] ?? user.attributes[channel]!;
    return this.send(settings, { ...user, attributes: { ...user.attributes, [channel]: target } }, `verify:${channel}`, channel, why, caller);
  }

  /** The same with a message and lifetime of the caller's (MFA codes at sign-in). */
  async sendWith(
    settings: PoolSettings,
    user: UserRecord,
    purpose: string,
    attribute: CodeChannel,
    why: MessagePurpose,
    caller: Caller,
    options: CodeMessage,
  ): Promise<CodeDeliveryDetailsType> {
    const destination = user.attributes[attribute]!;
    const code = String(randomInt(1_000_000)).padStart(6, '0');
    await this.storage.verificationCodes.put({
      poolId: user.poolId,
      sub: user.sub,
      purpose,
      codeHash: this.digest(user, purpose, code).toString('base64'),
      destinationAttribute: attribute,
      expiresAt: this.clock.now() + options.lifetimeMs,
      failedAttempts: 0,
    });
    const channel = attribute === 'email' ? 'EMAIL' : 'SMS';
    await this.messenger.send({
      pool: { id: user.poolId, settings },
      user,
      channel,
      destination,
      code,
      text: options.message,
      subject: options.subject,
      purpose: why,
      caller,
    });
    return { Destination: maskDestination(attribute, destination), DeliveryMedium: channel, AttributeName: attribute };
  }

  /**
   * Checks a code and lets `apply` make the change it authorises. The code is used up as it is
   * found right, so of two requests with one code only one changes anything; a change refused
   * (say, AliasExistsException) puts the code back, to be tried again.
   * Wrong codes count; after five the code is gone and the user must ask for a new one.
   */
  async use(user: UserRecord, purpose: string, code: string, apply: (channel: CodeChannel) => Promise<void>): Promise<void> {
    const check = await this.check(user, purpose, code);
    if (check.outcome === 'missing') throw new CognitoError('ExpiredCodeException', 'Invalid code provided, please request a code again.');
    if (check.outcome === 'exhausted') throw new CognitoError('LimitExceededException', 'Attempt limit exceeded, please try after some time.');
    if (check.outcome === 'wrong') throw wrongCode();
    if (check.outcome !== 'valid') throw new CognitoError('ExpiredCodeException', 'Invalid code provided, please request a code again.');
    try {
      await apply(check.channel);
    } catch (error) {
      await check.putBack();
      throw error;
    }
  }

  /**
   * Checks a code, using it up when it is right. The guess is taken from the code's allowance
   * before the comparison, so a burst of guesses compares at most five.
   */
  async check(user: UserRecord, purpose: string, code: string): Promise<CodeCheck> {
    const { poolId, sub } = user;
    const codes = this.storage.verificationCodes;
    const stored = await codes.takeGuess(poolId, sub, purpose, MAX_WRONG_GUESSES);
    if (!stored) return { outcome: (await codes.get(poolId, sub, purpose)) ? 'exhausted' : 'missing' };
    if (!timingSafeEqual(Buffer.from(stored.codeHash, 'base64'), this.digest(user, purpose, code))) return { outcome: 'wrong' };
    // Right: used up now, by this request alone.
    if (!(await codes.remove(poolId, sub, purpose, stored.codeHash))) return { outcome: 'missing' };
    if (stored.expiresAt <= this.clock.now()) return { outcome: 'expired' };
    const putBack = () => codes.put({ ...stored, failedAttempts: stored.failedAttempts - 1 });
    return { outcome: 'valid', channel: stored.destinationAttribute as CodeChannel, putBack };
  }

  /** The code bound to its user and purpose, keyed so that a copy of the database does not give it away. */
  private digest(user: UserRecord, purpose: string, code: string): Buffer {
    return this.secrets.digest(`verification-code:${user.poolId}\0${user.sub}\0${purpose}\0${code}`);
  }
}

export type CodeCheck =
  | { outcome: 'valid'; channel: CodeChannel; /** Restores the code a refused change used up. */ putBack(): Promise<void> }
  | { outcome: 'missing' | 'exhausted' | 'wrong' | 'expired' };
