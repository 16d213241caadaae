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
export async function deliverReporting(delivery: MessageDelivery, message: OutgoingMessage, logger: DeliveryLogger): Promise<void> {
  try {
    await delivery.deliver(message);
  } catch (error) {
    const { userPoolId, username, channel, destination, trigger } = message;
    const reason = error instanceof Error ? error.message : String(error);
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
  ) {}

  deliver(message: OutgoingMessage): Promise<void> {
    return deliverReporting(this.delivery, message, this.logger);
  }
}
