import { createTransport, type Transporter } from 'nodemailer';
import type { SmtpChannelConfig } from '../../config.js';
import type { MessageDelivery, OutgoingMessage } from './delivery.js';

/** The SMTP account from the config file's email channel. */
export type SmtpOptions = Omit<SmtpChannelConfig, 'method'>;

/** Real email through an SMTP server, one connection per message. */
export class SmtpDelivery implements MessageDelivery {
  private readonly transport: Transporter;

  constructor(private readonly options: SmtpOptions) {
    // nodemailer's own defaults wait minutes on a silent server, and a message is sent inside an API request.
    const timeoutMs = options.timeoutMs ?? 10_000;
    this.transport = createTransport({
      host: options.host,
      port: options.port,
      secure: options.secure ?? false,
      ...(options.user !== undefined && { auth: { user: options.user, pass: options.password ?? '' } }),
      connectionTimeout: timeoutMs,
      greetingTimeout: timeoutMs,
      socketTimeout: timeoutMs,
    });
  }

  async deliver(message: OutgoingMessage): Promise<void> {
    if (message.channel !== 'EMAIL') throw new Error(`SMTP sends email only, not ${message.channel}`);
    try {
      await this.transport.sendMail({
        from: this.options.from,
        to: message.destination,
        subject: message.subject ?? '',
        text: message.message,
      });
    } catch (error) {
      throw new Error(`SMTP delivery via ${this.options.host}:${this.options.port} failed: ${(error as Error).message}`);
    }
  }
}
