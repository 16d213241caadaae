import type { ChannelConfig, GatehouseConfig } from '../../config.js';
import { ChannelRouter } from './channel-router.js';
import { LogDelivery, type MessageDelivery } from './delivery.js';
import { ReportingDelivery, type DeliveryLogger } from './reporting.js';
import { SmtpDelivery } from './smtp-delivery.js';
import { WebhookDelivery } from './webhook-delivery.js';

/** The deliveries the config asks for, one per channel, wrapped so a failed send is logged, never thrown. */
export function deliveryFromConfig(messages: GatehouseConfig['messages'], logger: DeliveryLogger): MessageDelivery {
  const router = new ChannelRouter({ EMAIL: channelDelivery(messages.email, logger), SMS: channelDelivery(messages.sms, logger) });
  return new ReportingDelivery(router, logger);
}

function channelDelivery(channel: ChannelConfig, logger: DeliveryLogger): MessageDelivery {
  switch (channel.method) {
    case 'log':
      return new LogDelivery((fields, line) => logger.info({ message: fields }, line));
    case 'webhook':
      return new WebhookDelivery(channel);
    case 'smtp':
      return new SmtpDelivery(channel);
  }
}
