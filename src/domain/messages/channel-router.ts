import type { MessageDelivery, OutgoingMessage } from './delivery.js';

/** Each channel to its own delivery method, as the config chose. */
export class ChannelRouter implements MessageDelivery {
  constructor(private readonly byChannel: Record<OutgoingMessage['channel'], MessageDelivery>) {}

  deliver(message: OutgoingMessage): Promise<void> {
    return this.byChannel[message.channel].deliver(message);
  }
}
