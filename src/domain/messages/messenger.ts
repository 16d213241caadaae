import { CognitoError } from '../errors.js';
import type { Caller } from '../triggers/caller.js';
import { eventAttributes } from '../triggers/event-attributes.js';
import type { TriggerPool, Triggers } from '../triggers/triggers.js';
import type { MessageDelivery } from './delivery.js';

/** Why a message is sent: the suffix of its CustomMessage_ and Custom*Sender_ trigger sources. */
export type MessagePurpose = 'SignUp' | 'AdminCreateUser' | 'ResendCode' | 'ForgotPassword' | 'UpdateUserAttribute' | 'VerifyUserAttribute' | 'Authentication';

/** Turns a code into what a custom sender receives: AWS Encryption SDK ciphertext under the pool's KMS key. */
export interface CodeSealer {
  encrypt(code: string, kmsKeyId: string, context: Record<string, string>): Promise<string>;
}

export interface OutgoingCode {
  pool: TriggerPool;
  user: { username: string; sub: string; attributes: Record<string, string>; status?: string };
  channel: 'EMAIL' | 'SMS';
  destination: string;
  /** The code, or an invitation's temporary password. */
  code: string;
  /** The pool's wording, with `{####}` for the code and `{username}` for the username. */
  text: string;
  subject?: string;
  purpose: MessagePurpose;
  caller: Caller;
}

const PLACEHOLDERS = { codeParameter: '{####}', linkParameter: '{##Click Here##}' };

/**
 * Every message with a code goes out here: to the pool's custom sender trigger for its channel,
 * with the code encrypted, when it has one; else worded by the pool's CustomMessage trigger when it
 * has one (the function sees placeholders, never the code) and sent by Gatehouse's own delivery.
 */
export class Messenger {
  constructor(
    private readonly delivery: MessageDelivery,
    private readonly triggers: Triggers,
    private readonly sealer: CodeSealer,
  ) {}

  async send(message: OutgoingCode): Promise<void> {
    // A custom sender words and sends the message itself, from the code alone.
    if (await this.sendThroughTrigger(message)) return;
    const { text, subject } = await this.worded(message);
    const fill = (template: string) => template.replaceAll('{####}', message.code).replaceAll('{username}', message.user.username);
    await this.delivery.deliver({
      userPoolId: message.pool.id,
      username: message.user.username,
      sub: message.user.sub,
      channel: message.channel,
      destination: message.destination,
      code: message.code,
      message: fill(text),
      ...(message.channel === 'EMAIL' && { subject: fill(subject ?? '') }),
      trigger: `CustomMessage_${message.purpose}`,
    });
  }

  private async worded(message: OutgoingCode): Promise<{ text: string; subject?: string }> {
    const response = await this.triggers.run(message.pool, {
      trigger: 'CustomMessage',
      source: `CustomMessage_${message.purpose}`,
      userName: message.user.username,
      caller: message.caller,
      request: {
        userAttributes: eventAttributes(message.user),
        ...PLACEHOLDERS,
        usernameParameter: message.purpose === 'AdminCreateUser' ? '{username}' : null,
        clientMetadata: message.caller.clientMetadata ?? {},
      },
      response: { smsMessage: null, emailMessage: null, emailSubject: null },
    });
    const custom = (message.channel === 'EMAIL' ? response?.emailMessage : response?.smsMessage) as string | null | undefined;
    return { text: custom ?? message.text, subject: (response?.emailSubject as string | null | undefined) ?? message.subject };
  }

  /** True when the pool's custom sender for this channel took the message. */
  private async sendThroughTrigger(message: OutgoingCode): Promise<boolean> {
    const trigger = message.channel === 'EMAIL' ? 'CustomEmailSender' : 'CustomSMSSender';
    if (!this.triggers.has(message.pool, trigger)) return false;
    // Cognito binds the ciphertext to the pool it came from, and escapes < and > in temporary passwords.
    const plain = message.purpose === 'AdminCreateUser' ? message.code.replaceAll('<', '&lt;').replaceAll('>', '&gt;') : message.code;
    const code = await this.sealer.encrypt(plain, message.pool.settings.LambdaConfig!.KMSKeyID!, { 'userpool-id': message.pool.id }).catch((error: Error) => {
      throw new CognitoError('UnexpectedLambdaException', `${trigger} invocation failed due to error ${error.message}.`);
    });
    return this.triggers.send(message.pool, {
      trigger,
      source: `${trigger}_${message.purpose}`,
      userName: message.user.username,
      caller: message.caller,
      request: {
        type: message.channel === 'EMAIL' ? 'customEmailSenderRequestV1' : 'customSMSSenderRequestV1',
        code,
        clientMetadata: message.caller.clientMetadata ?? {},
        userAttributes: eventAttributes(message.user),
      },
    });
  }
}
