// Message delivery over real sockets: a webhook receiver and an SMTP server on free ports.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { AdminCreateUserCommand, AdminGetUserCommand, CreateUserPoolCommand } from '@aws-sdk/client-cognito-identity-provider';
import { SMTPServer } from 'smtp-server';
import { ConfigError, defaultConfig, mergeConfig } from '../src/config.js';
import { ChannelRouter } from '../src/domain/messages/channel-router.js';
import type { MessageDelivery, OutgoingMessage } from '../src/domain/messages/delivery.js';
import { deliverReporting, type DeliveryLogger } from '../src/domain/messages/reporting.js';
import { SmtpDelivery } from '../src/domain/messages/smtp-delivery.js';
import { WebhookDelivery } from '../src/domain/messages/webhook-delivery.js';
import { startTestGatehouse } from './support/gatehouse.js';
import { closedPort } from './support/sockets.js';

const EMAIL: OutgoingMessage = {
  userPoolId: 'us-east-1_Delivery1',
  username: 'ann',
  sub: '6f1c2a7e-3b5d-4c8e-9f0a-1b2c3d4e5f60',
  channel: 'EMAIL',
  destination: 'ann@example.com',
  code: '123456',
  message: 'Your verification code is 123456.',
  subject: 'Your verification code',
  trigger: 'CustomMessage_SignUp',
};
const SMS: OutgoingMessage = { ...EMAIL, channel: 'SMS', destination: '+15555550100', subject: undefined };

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

interface Receiver {
  url: string;
  requests: Received[];
  /** The statuses to answer with, in order; the last one repeats. */
  answers: number[];
  close(): Promise<void>;
}

async function startReceiver(answers: number[] = [204]): Promise<Receiver> {
  const requests: Received[] = [];
  const receiver = { requests, answers } as Receiver;
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      requests.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
      const status = receiver.answers[Math.min(requests.length, receiver.answers.length) - 1]!;
      response.writeHead(status).end(status >= 400 ? 'receiver says no' : '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  receiver.close = () => new Promise((resolve) => server.close(() => resolve()));
  return receiver;
}

interface Mail {
  from: string | undefined;
  to: string[];
  raw: string;
  user: string | undefined;
}

interface MailServer {
  port: number;
  mails: Mail[];
  close(): Promise<void>;
}

/** Plain SMTP without STARTTLS, as a developer's local mail catcher runs it. */
async function startMailServer(credentials?: { user: string; password: string }): Promise<MailServer> {
  const mails: Mail[] = [];
  const server = new SMTPServer({
    authOptional: !credentials,
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onAuth(auth, _session, callback) {
      if (credentials && auth.username === credentials.user && auth.password === credentials.password) return callback(null, { user: auth.username });
      callback(new Error('Invalid username or password'));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const { mailFrom, rcptTo } = session.envelope;
        mails.push({
          from: mailFrom ? mailFrom.address : undefined,
          to: rcptTo.map((address) => address.address),
          raw: Buffer.concat(chunks).toString('utf8'),
          user: session.user as string | undefined,
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return { port, mails, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** Headers and body of a raw message, headers unfolded. */
function parseMail(raw: string): { headers: Record<string, string>; body: string } {
  const split = raw.indexOf('\r\n\r\n');
  const headers: Record<string, string> = {};
  for (const line of raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { headers, body: raw.slice(split + 4) };
}

function recordingLogger(): DeliveryLogger & { errors: { fields: Record<string, unknown>; line: string }[] } {
  const errors: { fields: Record<string, unknown>; line: string }[] = [];
  return { errors, info() {}, error: (fields, line) => errors.push({ fields, line }) };
}

const sign = (secret: string, timestamp: string, body: string) => createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');

describe('webhook delivery', () => {
  let receiver: Receiver;
  before(async () => (receiver = await startReceiver()));
  after(() => receiver.close());

  test('POSTs every field as JSON, signed over timestamp and body', async () => {
    receiver.requests.length = 0;
    receiver.answers = [204];
    await new WebhookDelivery({ url: receiver.url, secret: 's3cret' }).deliver(EMAIL);
    assert.equal(receiver.requests.length, 1);
    const [{ headers, body }] = receiver.requests as [Received];
    assert.equal(headers['content-type'], 'application/json');
    assert.deepEqual(JSON.parse(body), {
      userPoolId: EMAIL.userPoolId,
      username: 'ann',
      sub: EMAIL.sub,
      channel: 'EMAIL',
      destination: 'ann@example.com',
      code: '123456',
      message: 'Your verification code is 123456.',
      subject: 'Your verification code',
      trigger: 'CustomMessage_SignUp',
    });
    const timestamp = headers['x-gatehouse-timestamp'] as string;
    assert.match(timestamp, /^\d{10}$/);
    assert.ok(Math.abs(Number(timestamp) - Date.now() / 1000) < 60, 'timestamp is now, in seconds');
    assert.equal(headers['x-gatehouse-signature'], `sha256=${sign('s3cret', timestamp, body)}`);
    assert.match(headers['x-gatehouse-delivery'] as string, /^[0-9a-f-]{36}$/);
  });

  test('an SMS has no subject, and without a secret there is no signature', async () => {
    receiver.requests.length = 0;
    receiver.answers = [200];
    await new WebhookDelivery({ url: receiver.url }).deliver(SMS);
    const [{ headers, body }] = receiver.requests as [Received];
    const sent = JSON.parse(body);
    assert.equal(sent.channel, 'SMS');
    assert.equal(sent.destination, '+15555550100');
    assert.equal('subject' in sent, false);
    assert.equal(headers['x-gatehouse-signature'], undefined);
  });

  test('a 500 is retried after a pause, with the same delivery id', async () => {
    receiver.requests.length = 0;
    receiver.answers = [500, 204];
    const started = Date.now();
    await new WebhookDelivery({ url: receiver.url, secret: 's3cret', backoffMs: 50 }).deliver(EMAIL);
    assert.equal(receiver.requests.length, 2);
    assert.ok(Date.now() - started >= 50, 'waited before the retry');
    const [first, second] = receiver.requests as [Received, Received];
    assert.equal(first.headers['x-gatehouse-delivery'], second.headers['x-gatehouse-delivery']);
    assert.equal(second.body, first.body);
    const timestamp = second.headers['x-gatehouse-timestamp'] as string;
    assert.equal(second.headers['x-gatehouse-signature'], `sha256=${sign('s3cret', timestamp, second.body)}`);
  });

  test('a 429 is retried; a 400 is not', async () => {
    receiver.requests.length = 0;
    receiver.answers = [429, 200];
    await new WebhookDelivery({ url: receiver.url, backoffMs: 1 }).deliver(EMAIL);
    assert.equal(receiver.requests.length, 2);

    receiver.requests.length = 0;
    receiver.answers = [400];
    await assert.rejects(new WebhookDelivery({ url: receiver.url, backoffMs: 1 }).deliver(EMAIL), {
      message: `webhook delivery to ${receiver.url} failed (not retried): HTTP 400 Bad Request: receiver says no`,
    });
    assert.equal(receiver.requests.length, 1);
  });

  test('after the last try it throws, naming the URL and the status', async () => {
    receiver.requests.length = 0;
    receiver.answers = [503];
    await assert.rejects(new WebhookDelivery({ url: receiver.url, retries: 2, backoffMs: 1 }).deliver(EMAIL), {
      message: `webhook delivery to ${receiver.url} failed after 3 tries: HTTP 503 Service Unavailable: receiver says no`,
    });
    assert.equal(receiver.requests.length, 3);
  });

  test('a refused connection and a silent receiver are retried and named', async () => {
    const refused = `http://127.0.0.1:${await closedPort()}/hook`;
    await assert.rejects(new WebhookDelivery({ url: refused, retries: 1, backoffMs: 1 }).deliver(EMAIL), (error: Error) => {
      assert.match(error.message, new RegExp(`^webhook delivery to ${refused} failed after 2 tries: .*ECONNREFUSED`));
      return true;
    });

    const silent = createServer(() => {}); // takes the request and never answers
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/`;
    try {
      await assert.rejects(new WebhookDelivery({ url, retries: 0, timeoutMs: 100 }).deliver(EMAIL), {
        message: `webhook delivery to ${url} failed after 1 try: no answer within 100 ms`,
      });
    } finally {
      silent.closeAllConnections();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  test('deliverReporting logs one clear line for a permanent failure and does not throw', async () => {
    receiver.requests.length = 0;
    receiver.answers = [500];
    const logger = recordingLogger();
    await deliverReporting(new WebhookDelivery({ url: receiver.url, retries: 1, backoffMs: 1 }), EMAIL, logger);
    assert.equal(receiver.requests.length, 2);
    assert.equal(logger.errors.length, 1);
    const [{ fields, line }] = logger.errors as [{ fields: Record<string, unknown>; line: string }];
    const reason = `webhook delivery to ${receiver.url} failed after 2 tries: HTTP 500 Internal Server Error: receiver says no`;
    assert.equal(line, `could not deliver EMAIL to ann@example.com for ann in us-east-1_Delivery1 (CustomMessage_SignUp): ${reason}`);
    assert.deepEqual(fields, {
      delivery: { userPoolId: EMAIL.userPoolId, username: 'ann', channel: 'EMAIL', destination: 'ann@example.com', trigger: 'CustomMessage_SignUp', reason },
    });
    assert.ok(!JSON.stringify(fields).includes(EMAIL.code), 'the code stays out of the error log');
  });
});

describe('SMTP delivery', () => {
  test('sends the subject and text to the recipient from the configured sender', async () => {
    const mailServer = await startMailServer();
    try {
      await new SmtpDelivery({ host: '127.0.0.1', port: mailServer.port, from: 'Gatehouse <no-reply@gatehouse.test>' }).deliver(EMAIL);
      assert.equal(mailServer.mails.length, 1);
      const [mail] = mailServer.mails as [Mail];
      assert.equal(mail.from, 'no-reply@gatehouse.test');
      assert.deepEqual(mail.to, ['ann@example.com']);
      const { headers, body } = parseMail(mail.raw);
      assert.equal(headers.subject, 'Your verification code');
      assert.equal(headers.to, 'ann@example.com');
      assert.equal(headers.from, 'Gatehouse <no-reply@gatehouse.test>');
      assert.match(headers['content-type']!, /^text\/plain/);
      assert.equal(body.trim(), 'Your verification code is 123456.');
    } finally {
      await mailServer.close();
    }
  });

  test('signs in with the configured account', async () => {
    const mailServer = await startMailServer({ user: 'mailer', password: 'mail-pass' });
    try {
      const options = { host: '127.0.0.1', port: mailServer.port, from: 'no-reply@gatehouse.test', user: 'mailer' };
      await new SmtpDelivery({ ...options, password: 'mail-pass' }).deliver(EMAIL);
      assert.equal(mailServer.mails[0]?.user, 'mailer');
      await assert.rejects(new SmtpDelivery({ ...options, password: 'wrong' }).deliver(EMAIL), (error: Error) => {
        assert.match(error.message, new RegExp(`^SMTP delivery via 127.0.0.1:${mailServer.port} failed: .*Invalid username or password`));
        return true;
      });
      assert.equal(mailServer.mails.length, 1);
    } finally {
      await mailServer.close();
    }
  });

  test('an unreachable server is named in the error', async () => {
    const port = await closedPort();
    await assert.rejects(new SmtpDelivery({ host: '127.0.0.1', port, from: 'no-reply@gatehouse.test' }).deliver(EMAIL), (error: Error) => {
      assert.match(error.message, new RegExp(`^SMTP delivery via 127.0.0.1:${port} failed: .*ECONNREFUSED`));
      return true;
    });
  });
});

describe('ChannelRouter', () => {
  test('sends each message to its channel’s delivery', async () => {
    const seen: string[] = [];
    const recorder = (name: string): MessageDelivery => ({ deliver: async (message) => void seen.push(`${name}:${message.destination}`) });
    const router = new ChannelRouter({ EMAIL: recorder('email'), SMS: recorder('sms') });
    await router.deliver(EMAIL);
    await router.deliver(SMS);
    assert.deepEqual(seen, ['email:ann@example.com', 'sms:+15555550100']);
  });
});

describe('messages config', () => {
  const rejection = (messages: unknown) => {
    try {
      mergeConfig(defaultConfig(), { messages });
    } catch (error) {
      assert.ok(error instanceof ConfigError, String(error));
      return error.message;
    }
    assert.fail(`${JSON.stringify(messages)} was accepted`);
  };

  test('defaults to the log for both channels, and a file may set one channel alone', () => {
    assert.deepEqual(defaultConfig().messages, { email: { method: 'log' }, sms: { method: 'log' } });
    const email = { method: 'smtp', host: 'mail.example.com', port: 587, user: 'u', password: 'p', from: 'Team <no-reply@example.com>' };
    assert.deepEqual(mergeConfig(defaultConfig(), { messages: { email } }).messages, { email, sms: { method: 'log' } });
    const sms = { method: 'webhook', url: 'https://hooks.example.com/sms', secret: 'x', retries: 0, timeoutMs: 1000 };
    assert.deepEqual(mergeConfig(defaultConfig(), { messages: { sms } }).messages.sms, sms);
  });

  test('refuses what cannot work, saying why', () => {
    assert.equal(rejection({ sms: { method: 'smtp', host: 'h', port: 25, from: 'a@b.c' } }), "messages.sms.method 'smtp' sends email only; sms takes 'log' or 'webhook'");
    assert.equal(rejection({ email: { method: 'pigeon' } }), `messages.email.method must be 'log', 'webhook' or 'smtp', got "pigeon"`);
    assert.equal(rejection({ email: {} }), `messages.email.method must be 'log', 'webhook' or 'smtp', got undefined`);
    assert.equal(rejection({ push: { method: 'log' } }), "unknown field 'messages.push' (the channels are email and sms)");
    assert.equal(rejection({ email: { method: 'webhook', url: 'ftp://x' } }), 'messages.email.url must be an http(s) URL, got "ftp://x"');
    assert.equal(rejection({ email: { method: 'webhook', url: 'http://x', retries: -1 } }), 'messages.email.retries must be an integer from 0 to 10');
    assert.equal(rejection({ email: { method: 'log', url: 'http://x' } }), "unknown field 'messages.email.url' for method 'log'");
    assert.equal(rejection({ email: { method: 'smtp', port: 25, from: 'a@b.c' } }), "messages.email.host must be the SMTP server's host name");
    assert.equal(rejection({ email: { method: 'smtp', host: 'h', port: '25', from: 'a@b.c' } }), 'messages.email.port must be an integer from 1 to 65535 (587 for STARTTLS, 465 with secure: true)');
    assert.equal(rejection({ email: { method: 'smtp', host: 'h', port: 25, from: 'nobody' } }), 'messages.email.from must be an address, e.g. "Gatehouse <no-reply@example.com>"');
    assert.equal(rejection({ email: { method: 'smtp', host: 'h', port: 25, from: 'a@b.c', password: 'p' } }), 'messages.email.password needs a user');
  });
});

describe('message delivery in a running Gatehouse', () => {
  test('AdminCreateUser sends the invitation to the webhook, with the temporary password as the code', async () => {
    const receiver = await startReceiver();
    const gh = await startTestGatehouse('sqlite', {
      messages: { email: { method: 'webhook', url: receiver.url, secret: 'hook-secret' }, sms: { method: 'webhook', url: receiver.url } },
    });
    try {
      const poolId = (await gh.cognito.send(new CreateUserPoolCommand({ PoolName: 'invites' }))).UserPool!.Id!;
      await gh.cognito.send(
        new AdminCreateUserCommand({
          UserPoolId: poolId,
          Username: 'bob',
          TemporaryPassword: 'Temp-pass-1',
          UserAttributes: [{ Name: 'email', Value: 'bob@example.com' }],
          DesiredDeliveryMediums: ['EMAIL'],
        }),
      );
      assert.equal(receiver.requests.length, 1);
      const [{ headers, body }] = receiver.requests as [Received];
      const sent = JSON.parse(body);
      assert.equal(sent.userPoolId, poolId);
      assert.equal(sent.username, 'bob');
      assert.match(sent.sub, /^[0-9a-f-]{36}$/);
      assert.equal(sent.channel, 'EMAIL');
      assert.equal(sent.destination, 'bob@example.com');
      assert.equal(sent.code, 'Temp-pass-1');
      assert.ok(sent.message.includes('Temp-pass-1'));
      assert.equal(typeof sent.subject, 'string');
      assert.equal(sent.trigger, 'CustomMessage_AdminCreateUser');
      const timestamp = headers['x-gatehouse-timestamp'] as string;
      assert.equal(headers['x-gatehouse-signature'], `sha256=${sign('hook-secret', timestamp, body)}`);
    } finally {
      await gh.stop();
      await receiver.close();
    }
  });

  test('a failing webhook does not undo or fail the user’s creation', async () => {
    const receiver = await startReceiver([500]);
    const gh = await startTestGatehouse('sqlite', {
      messages: { email: { method: 'webhook', url: receiver.url, retries: 1 }, sms: { method: 'log' } },
    });
    try {
      const poolId = (await gh.cognito.send(new CreateUserPoolCommand({ PoolName: 'failing' }))).UserPool!.Id!;
      const created = await gh.cognito.send(
        new AdminCreateUserCommand({
          UserPoolId: poolId,
          Username: 'cat',
          UserAttributes: [{ Name: 'email', Value: 'cat@example.com' }],
          DesiredDeliveryMediums: ['EMAIL'],
        }),
      );
      assert.equal(created.User?.UserStatus, 'FORCE_CHANGE_PASSWORD');
      assert.equal(receiver.requests.length, 2, 'tried twice');
      const user = await gh.cognito.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'cat' }));
      assert.equal(user.UserStatus, 'FORCE_CHANGE_PASSWORD');
    } finally {
      await gh.stop();
      await receiver.close();
    }
  });

  test('AdminCreateUser sends the invitation by SMTP', async () => {
    const mailServer = await startMailServer();
    const gh = await startTestGatehouse('sqlite', {
      messages: { email: { method: 'smtp', host: '127.0.0.1', port: mailServer.port, from: 'no-reply@gatehouse.test' }, sms: { method: 'log' } },
    });
    try {
      const poolId = (await gh.cognito.send(new CreateUserPoolCommand({ PoolName: 'mail' }))).UserPool!.Id!;
      await gh.cognito.send(
        new AdminCreateUserCommand({
          UserPoolId: poolId,
          Username: 'dan',
          TemporaryPassword: 'Temp-pass-2',
          UserAttributes: [{ Name: 'email', Value: 'dan@example.com' }],
          DesiredDeliveryMediums: ['EMAIL'],
        }),
      );
      assert.equal(mailServer.mails.length, 1);
      const [mail] = mailServer.mails as [Mail];
      assert.deepEqual(mail.to, ['dan@example.com']);
      const { headers, body } = parseMail(mail.raw);
      assert.equal(headers.subject, 'Your temporary password');
      assert.ok(body.includes('Temp-pass-2'), body);
    } finally {
      await gh.stop();
      await mailServer.close();
    }
  });
});
