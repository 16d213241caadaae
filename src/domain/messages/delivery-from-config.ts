import { isLoopback, type ChannelConfig, type GatehouseConfig, type LogChannelConfig } from '../../config.js';
import { ChannelRouter } from './channel-router.js';
import { LogDelivery, type MessageDelivery } from './delivery.js';
import { ReportingDelivery, type DeliveryLogger, type DeliveryOutcomes } from './reporting.js';
import { SmtpDelivery } from './smtp-delivery.js';
import { WebhookDelivery } from './webhook-delivery.js';

type DeliveryConfig = Pick<GatehouseConfig, 'messages' | 'host' | 'accessKeys'>;

/** The deliveries the config asks for, one per channel, wrapped so a failed send is logged (and told to `outcomes`), never thrown. */
export function deliveryFromConfig(config: DeliveryConfig, logger: DeliveryLogger, outcomes?: DeliveryOutcomes): MessageDelivery {
  const { email, sms } = config.messages;
  const router = new ChannelRouter({ EMAIL: channelDelivery(email, config, logger), SMS: channelDelivery(sms, config, logger) });
  return new ReportingDelivery(router, logger, outcomes);
}

/** Where messages go, for the start-up log: `email → log (codes shown), sms → webhook https://…`. */
export function describeDelivery(config: DeliveryConfig): string {
  const describe = (channel: ChannelConfig): string => {
    switch (channel.method) {
      case 'log':
        return `the server log (${showsCodes(channel, config) ? 'codes and temporary passwords shown' : 'codes withheld: set showCodes: true to log them'})`;
      case 'webhook':
        return `webhook ${channel.url}`;
      case 'smtp':
        return `SMTP ${channel.host}:${channel.port}`;
    }
  };
  return `email → ${describe(config.messages.email)}; sms → ${describe(config.messages.sms)}`;
}

/** Codes are logged unless the server is exposed (keys set, not on loopback) and the config does not ask for them. */
const showsCodes = (channel: LogChannelConfig, config: DeliveryConfig): boolean =>
  channel.showCodes ?? !(config.accessKeys.length > 0 && !isLoopback(config.host));

function channelDelivery(channel: ChannelConfig, config: DeliveryConfig, logger: DeliveryLogger): MessageDelivery {
  switch (channel.method) {
    case 'log':
      return new LogDelivery((fields, line) => logger.info({ message: fields }, line), showsCodes(channel, config));
    case 'webhook':
      return new WebhookDelivery(channel);
    case 'smtp':
      return new SmtpDelivery(channel);
  }
}
