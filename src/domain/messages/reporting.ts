import type { MessageDelivery, OutgoingMessage } from './delivery.js';

/** The part of a logger delivery needs; pino's logger is one. */
export interface DeliveryLogger {
  info(fields: Record<string, unknown>, line: string): void;
  error(fields: Record<string, unknown>, line: string): void;
}

/**
 * Sends and, on failure, logs one error line instead of throwing: by the time a message goes out the
 * user's change is written, and a failed send must not turn that into an error the client retries.
 * The line names everything but the code, which must not reach a production log.
 */
export async function deliverReporting(delivery: MessageDelivery, message: OutgoingMessage, logger: DeliveryLogger, outcomes?: DeliveryOutcomes): Promise<void> {
  try {
    await delivery.deliver(message);
    outcomes?.report({ message });
  } catch (error) {
    const { userPoolId, username, channel, destination, trigger } = message;
    const reason = error instanceof Error ? error.message : String(error);
    outcomes?.report({ message, error: reason });
    logger.error(
      { delivery: { userPoolId, username, channel, destination, trigger, reason } },
      `could not deliver ${channel} to ${destination} for ${username} in ${userPoolId} (${trigger}): ${reason}`,
    );
  }
}

/** A delivery that never fails its caller: failures are reported through deliverReporting. */
export class ReportingDelivery implements MessageDelivery {
  constructor(
    private readonly delivery: MessageDelivery,
    private readonly logger: DeliveryLogger,
    private readonly outcomes?: DeliveryOutcomes,
  ) {}

  deliver(message: OutgoingMessage): Promise<void> {
    return deliverReporting(this.delivery, message, this.logger, this.outcomes);
  }
}

/** A message's fate: sent, or the reason it was not. */
export interface DeliveryOutcome {
  message: OutgoingMessage;
  error?: string;
}

/**
 * Who hears of each message's fate (the pools' userNotification logs). The delivery is made before
 * the services that listen, so they subscribe later; a listener that throws is not the sender's problem.
 */
export class DeliveryOutcomes {
  private readonly listeners: ((outcome: DeliveryOutcome) => void)[] = [];

  listen(listener: (outcome: DeliveryOutcome) => void): void {
    this.listeners.push(listener);
  }

  report(outcome: DeliveryOutcome): void {
    for (const listener of this.listeners) {
      try {
        listener(outcome);
      } catch {
        // A log record is best effort; the message went out (or failed) all the same.
      }
    }
  }
}
