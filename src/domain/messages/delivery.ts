/** A message for one user on one channel, as every delivery method receives it. */
export interface OutgoingMessage {
  userPoolId: string;
  username: string;
  sub: string;
  channel: 'EMAIL' | 'SMS';
  destination: string;
  /** The code or temporary password the message carries, so a developer can copy it from the log. */
  code: string;
  message: string;
  subject?: string;
  /** Why it was sent, in Cognito's trigger-source vocabulary (e.g. AdminCreateUser). */
  trigger: string;
}

export interface MessageDelivery {
  deliver(message: OutgoingMessage): Promise<void>;
}

/** The default: one line per message on the server's log, with everything a developer needs (the code, unless withheld). */
export class LogDelivery implements MessageDelivery {
  constructor(
    private readonly log: (fields: Record<string, unknown>, line: string) => void,
    private readonly showCodes = true,
  ) {}

  async deliver(message: OutgoingMessage): Promise<void> {
    const { userPoolId, username, channel, destination, code, trigger } = message;
    const where = `${channel} to ${destination} for ${username} in ${userPoolId} (${trigger})`;
    if (this.showCodes) this.log({ userPoolId, username, channel, destination, code, trigger }, `${where}: code ${code}`);
    else this.log({ userPoolId, username, channel, destination, trigger }, `${where}: code withheld`);
  }
}
