import type { Clock } from '../../clock.js';
import type { OutboxRecord, Storage } from '../../storage/types.js';
import { timeOrderedId } from '../ids.js';
import type { MessageDelivery, OutgoingMessage } from './delivery.js';

/** How many delivered messages the development console keeps. */
const KEEP = 500;

/**
 * In development mode, every message is also kept (codes included) for the console's outbox page.
 * Never in production: codes and temporary passwords would then sit in the database.
 */
export class OutboxDelivery implements MessageDelivery {
  constructor(
    private readonly inner: MessageDelivery,
    private readonly storage: Storage,
    private readonly clock: Clock,
  ) {}

  async deliver(message: OutgoingMessage): Promise<void> {
    const sentAt = this.clock.now();
    await this.storage.outbox.add({ id: timeOrderedId(sentAt), poolId: message.userPoolId, sentAt, message: { ...message } }, KEEP).catch(() => undefined);
    await this.inner.deliver(message);
  }
}

/** What the console's outbox page reads: the newest messages kept, newest first. */
export class MessageOutbox {
  constructor(private readonly storage: Storage) {}

  recent(limit: number): Promise<OutboxRecord[]> {
    return this.storage.outbox.recent(limit);
  }
}
