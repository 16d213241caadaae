// A webhook receiver on a free port: what Gatehouse's webhook delivery sends, as a mailbox for tests.
import { createServer, type Server } from 'node:http';
import { after, before } from 'node:test';
import type { AddressInfo } from 'node:net';
import type { OutgoingMessage } from '../../src/domain/messages/delivery.js';
import { startTestGatehouse, type Backend, type TestGatehouse } from './gatehouse.js';

/** Exactly what the delivery sends: the body of each webhook POST. */
export type DeliveredMessage = OutgoingMessage;

export interface Mailbox {
  url: string;
  messages: DeliveredMessage[];
  /** The next message to `destination` (waits up to 5 s for it). */
  next(destination: string): Promise<DeliveredMessage>;
  close(): Promise<void>;
}

export async function startMailbox(): Promise<Mailbox> {
  const messages: DeliveredMessage[] = [];
  const waiting: { destination: string; resolve: (message: DeliveredMessage) => void }[] = [];
  const taken = new Set<DeliveredMessage>();
  const server: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      const message = JSON.parse(body) as DeliveredMessage;
      messages.push(message);
      const index = waiting.findIndex((w) => w.destination === message.destination);
      if (index >= 0) {
        taken.add(message);
        waiting.splice(index, 1)[0]!.resolve(message);
      }
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/messages`,
    messages,
    next(destination) {
      const ready = messages.find((m) => m.destination === destination && !taken.has(m));
      if (ready) {
        taken.add(ready);
        return Promise.resolve(ready);
      }
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no message to ${destination}`)), 5000);
        waiting.push({ destination, resolve: (m) => (clearTimeout(timer), resolve(m)) });
      });
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** The config that sends both channels' messages to the mailbox. */
export const deliverTo = (mailbox: Mailbox) => ({
  messages: { email: { method: 'webhook' as const, url: mailbox.url }, sms: { method: 'webhook' as const, url: mailbox.url } },
});

/**
 * The suite's Gatehouse with a mailbox: started before its tests (handed to `use`), stopped after them.
 * Call inside a describe().
 */
export function withGatehouseAndMailbox(backend: Backend, use: (gatehouse: TestGatehouse, mailbox: Mailbox) => void): void {
  let stop: () => Promise<void> = async () => undefined;
  before(async () => {
    const started = await startGatehouseWithMailbox(backend);
    use(started.gatehouse, started.mailbox);
    stop = started.stop;
  });
  after(() => stop());
}

/** A Gatehouse whose email and SMS go to a fresh mailbox, and the way to stop both. */
export async function startGatehouseWithMailbox(backend: Backend): Promise<{ gatehouse: TestGatehouse; mailbox: Mailbox; stop(): Promise<void> }> {
  const mailbox = await startMailbox();
  const gatehouse = await startTestGatehouse(backend, deliverTo(mailbox));
  return { gatehouse, mailbox, stop: () => gatehouse.stop().then(() => mailbox.close()) };
}
