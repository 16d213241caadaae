import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  AdminCreateUserCommand,
  AdminInitiateAuthCommand,
  AdminSetUserPasswordCommand,
  ConfirmSignUpCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DescribeUserPoolCommand,
  ForgotPasswordCommand,
  GetLogDeliveryConfigurationCommand,
  SetLogDeliveryConfigurationCommand,
  SignUpCommand,
  UpdateUserPoolCommand,
  type LogConfigurationType,
} from '@aws-sdk/client-cognito-identity-provider';
import { ConfigError, defaultConfig, mergeConfig } from '../src/config.js';
import { backends, startTestGatehouse, type TestGatehouse } from './support/gatehouse.js';
import { errorOf } from './support/errors.js';
import { startMailbox, type Mailbox } from './support/webhook.js';

const ACCOUNT = '000000000000';
const logGroup = (name: string) => `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:${name}`;
const STREAM = `arn:aws:firehose:us-east-1:${ACCOUNT}:deliverystream/sign-ins`;

/** An HTTP endpoint that keeps every JSON line POSTed to it. */
async function startCollector(): Promise<{ url: string; records: any[]; close(): Promise<void> }> {
  const records: any[] = [];
  const server: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      for (const line of body.split('\n').filter(Boolean)) records.push(JSON.parse(line));
      response.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/logs`, records, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** A port nothing listens on: SMS sent there fails. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

test('logDelivery.destinations takes ARNs or ARN prefixes to stdout, file: paths and http(s) URLs, and refuses anything else', () => {
  const merged = mergeConfig(defaultConfig(), { logDelivery: { destinations: { [logGroup('a')]: 'stdout', 'arn:aws:s3:::b*': 'file:/tmp/b.jsonl', [STREAM]: 'https://logs.example.com/in' } } });
  assert.equal(merged.logDelivery.destinations[logGroup('a')], 'stdout');
  const refused = (logDelivery: unknown, pattern: RegExp) => assert.throws(() => mergeConfig(defaultConfig(), { logDelivery }), (error: Error) => error instanceof ConfigError && pattern.test(error.message));
  refused({ destinations: { [logGroup('a')]: 'syslog' } }, /must be 'stdout', 'file:<path>' or an http\(s\) URL/);
  refused({ destinations: { 'log-group:a': 'stdout' } }, /must be an ARN/);
  refused({ destinations: { 'arn:aws:logs:*:000000000000:log-group:a': 'stdout' } }, /ending in \*/);
  refused({ destinations: {}, retries: 3 }, /unknown field 'logDelivery.retries'/);
  refused({ destinations: { [logGroup('a')]: 'file://logs/a.jsonl' } }, /must be 'stdout', 'file:<path>' or an http\(s\) URL/);
});

for (const backend of backends()) {
  describe(`log delivery (${backend})`, () => {
    let gh: TestGatehouse;
    let mailbox: Mailbox;
    let collector: Awaited<ReturnType<typeof startCollector>>;
    let dir: string;
    let plusPool: string;
    let clientId: string;

    const fileOf = (name: string) => join(dir, `${name}.jsonl`);
    /** The records in a destination file, once every record written so far has reached it. */
    const recordsIn = async (name: string): Promise<any[]> => {
      await gh.server.services.poolLogs.flush();
      const text = await readFile(fileOf(name), 'utf8').catch(() => '');
      return text.split('\n').filter(Boolean).map((line) => JSON.parse(line));
    };
    const configure = (UserPoolId: string, LogConfigurations: LogConfigurationType[]) => gh.cognito.send(new SetLogDeliveryConfigurationCommand({ UserPoolId, LogConfigurations }));
    const signIn = (password: string) =>
      gh.cognito.send(new AdminInitiateAuthCommand({ UserPoolId: plusPool, ClientId: clientId, AuthFlow: 'ADMIN_USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'ann', PASSWORD: password } }));

    before(async () => {
      dir = await mkdtemp(join(tmpdir(), 'gatehouse-logs-'));
      mailbox = await startMailbox();
      collector = await startCollector();
      gh = await startTestGatehouse(backend, {
        messages: { email: { method: 'webhook', url: mailbox.url }, sms: { method: 'webhook', url: `http://127.0.0.1:${await closedPort()}/sms`, retries: 0 } },
        logDelivery: {
          destinations: {
            [logGroup('auth')]: `file:${fileOf('auth')}`,
            [logGroup('notify-*')]: `file:${fileOf('notify')}`,
            [`arn:aws:firehose:us-east-1:${ACCOUNT}:deliverystream/*`]: collector.url,
          },
        },
      });
      plusPool = (await gh.cognito.send(new CreateUserPoolCommand({ PoolName: 'logs', UserPoolTier: 'PLUS', AutoVerifiedAttributes: ['email'] }))).UserPool!.Id!;
      clientId = (await gh.cognito.send(new CreateUserPoolClientCommand({ UserPoolId: plusPool, ClientName: 'app', ExplicitAuthFlows: ['ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] })))
        .UserPoolClient!.ClientId!;
      await gh.cognito.send(new AdminCreateUserCommand({ UserPoolId: plusPool, Username: 'ann', MessageAction: 'SUPPRESS' }));
      await gh.cognito.send(new AdminSetUserPasswordCommand({ UserPoolId: plusPool, Username: 'ann', Password: 'Password1!', Permanent: true }));
    });
    after(async () => {
      await gh?.stop();
      await mailbox?.close();
      await collector?.close();
      await rm(dir, { recursive: true, force: true });
    });

    test('a pool starts without log configurations; Set replaces them and Get returns what was set', async () => {
      const { LogDeliveryConfiguration: none } = await gh.cognito.send(new GetLogDeliveryConfigurationCommand({ UserPoolId: plusPool }));
      assert.deepEqual(none, { UserPoolId: plusPool, LogConfigurations: [] });
      const wanted: LogConfigurationType[] = [
        { EventSource: 'userNotification', LogLevel: 'ERROR', CloudWatchLogsConfiguration: { LogGroupArn: logGroup('notify-errors') } },
        { EventSource: 'userAuthEvents', LogLevel: 'INFO', FirehoseConfiguration: { StreamArn: STREAM } },
      ];
      const { LogDeliveryConfiguration: set } = await configure(plusPool, wanted);
      assert.deepEqual(set, { UserPoolId: plusPool, LogConfigurations: wanted });
      const { LogDeliveryConfiguration: got } = await gh.cognito.send(new GetLogDeliveryConfigurationCommand({ UserPoolId: plusPool }));
      assert.deepEqual(got, set);
      // Not part of the pool's description, and kept by an UpdateUserPool that does not know of it.
      const { UserPool } = await gh.cognito.send(new DescribeUserPoolCommand({ UserPoolId: plusPool }));
      assert.equal((UserPool as Record<string, unknown>).LogConfigurations, undefined);
      await gh.cognito.send(new UpdateUserPoolCommand({ UserPoolId: plusPool, UserPoolTier: 'PLUS', AutoVerifiedAttributes: ['email'] }));
      assert.deepEqual((await gh.cognito.send(new GetLogDeliveryConfigurationCommand({ UserPoolId: plusPool }))).LogDeliveryConfiguration, set);
      await configure(plusPool, []);
      assert.deepEqual((await gh.cognito.send(new GetLogDeliveryConfigurationCommand({ UserPoolId: plusPool }))).LogDeliveryConfiguration!.LogConfigurations, []);
    });

    test('configurations Cognito refuses are refused', async () => {
      const essentials = (await gh.cognito.send(new CreateUserPoolCommand({ PoolName: 'essentials' }))).UserPool!.Id!;
      const refused = async (pool: string, configurations: LogConfigurationType[], name = 'InvalidParameterException') =>
        assert.equal((await errorOf(configure(pool, configurations))).name, name, JSON.stringify(configurations));
      const notify = { EventSource: 'userNotification', LogLevel: 'ERROR' } as const;
      await refused(plusPool, [notify]);
      await refused(plusPool, [{ ...notify, CloudWatchLogsConfiguration: {} }]);
      await refused(plusPool, [{ ...notify, CloudWatchLogsConfiguration: { LogGroupArn: logGroup('a') }, FirehoseConfiguration: { StreamArn: STREAM } }]);
      await refused(plusPool, [{ ...notify, S3Configuration: { BucketArn: 'arn:aws:s3:::logs-bucket' } }]);
      await refused(plusPool, [{ ...notify, CloudWatchLogsConfiguration: { LogGroupArn: STREAM } }]);
      await refused(plusPool, [{ ...notify, CloudWatchLogsConfiguration: { LogGroupArn: 'arn:aws:logs:us-east-1:111122223333:log-group:other-account' } }]);
      await refused(plusPool, [
        { ...notify, CloudWatchLogsConfiguration: { LogGroupArn: logGroup('a') } },
        { ...notify, CloudWatchLogsConfiguration: { LogGroupArn: logGroup('b') } },
      ]);
      await refused(plusPool, [{ EventSource: 'userAuthEvents', LogLevel: 'ERROR', S3Configuration: { BucketArn: 'arn:aws:s3:::logs-bucket' } }]);
      await refused(essentials, [{ EventSource: 'userAuthEvents', LogLevel: 'INFO', S3Configuration: { BucketArn: 'arn:aws:s3:::logs-bucket' } }], 'FeatureUnavailableInTierException');
      await refused('us-east-1_nothere00', [], 'ResourceNotFoundException');
      const three = [notify, notify, notify].map((c) => ({ ...c, CloudWatchLogsConfiguration: { LogGroupArn: logGroup('a') } }));
      await refused(plusPool, three);
      // Message-delivery logs need no plan: an Essentials pool may have them.
      await configure(essentials, [{ ...notify, CloudWatchLogsConfiguration: { LogGroupArn: logGroup('notify-errors') } }]);
    });

    test('userAuthEvents: each sign-in, passed or failed, is a record in the file the log group maps to', async () => {
      await configure(plusPool, [{ EventSource: 'userAuthEvents', LogLevel: 'INFO', CloudWatchLogsConfiguration: { LogGroupArn: logGroup('auth') } }]);
      const before = (await recordsIn('auth')).length;
      await signIn('Password1!');
      assert.equal((await errorOf(signIn('Wrong-password1'))).name, 'NotAuthorizedException');
      const [passed, failed, ...more] = (await recordsIn('auth')).slice(before);
      assert.deepEqual(more, []);
      for (const record of [passed, failed]) {
        assert.equal(record.eventSource, 'USER_AUTH_EVENTS');
        assert.equal(record.logLevel, 'INFO');
        assert.equal(record.logSourceVersion, '1.0');
        assert.match(record.eventTimestamp, /^\d{13}$/);
        assert.equal(record.message.eventType, 'SignIn');
        assert.equal(record.message.userPoolId, plusPool);
        assert.equal(record.message.userName, 'ann');
        assert.equal(record.message.clientId, clientId);
        assert.equal(record.message.riskDecision, 'NoRisk');
        assert.ok(record.message.eventId);
        assert.equal(new Date(record.message.creationDate).getTime(), Number(record.eventTimestamp));
        assert.equal(typeof record.message.eventContextData, 'object');
      }
      assert.equal(passed.message.eventResponse, 'Pass');
      assert.deepEqual(passed.message.challengeResults, [{ challengeName: 'Password', challengeResponse: 'Success' }]);
      assert.match(passed.message.userSub, /^[0-9a-f-]{36}$/);
      assert.equal(failed.message.eventResponse, 'Fail');
      assert.deepEqual(failed.message.challengeResults, [{ challengeName: 'Password', challengeResponse: 'Failure' }]);
      assert.match(failed.message.failureReason, /^NotAuthorizedException/);
      assert.notEqual(passed.message.eventId, failed.message.eventId);
    });

    test('userAuthEvents: with threat protection on, a sign-up is a record too', async () => {
      const guarded = (await gh.cognito.send(new CreateUserPoolCommand({ PoolName: 'logs-guarded', UserPoolTier: 'PLUS', UserPoolAddOns: { AdvancedSecurityMode: 'AUDIT' } }))).UserPool!.Id!;
      const app = (await gh.cognito.send(new CreateUserPoolClientCommand({ UserPoolId: guarded, ClientName: 'app' }))).UserPoolClient!.ClientId!;
      await configure(guarded, [{ EventSource: 'userAuthEvents', LogLevel: 'INFO', CloudWatchLogsConfiguration: { LogGroupArn: logGroup('auth') } }]);
      const before = (await recordsIn('auth')).length;
      await gh.cognito.send(new SignUpCommand({ ClientId: app, Username: 'sue', Password: 'Unusual-sue-42!' }));
      const [signedUp, ...more] = (await recordsIn('auth')).slice(before);
      assert.deepEqual(more, []);
      assert.deepEqual([signedUp.message.eventType, signedUp.message.eventResponse, signedUp.message.userPoolId, signedUp.message.userName], ['SignUp', 'Pass', guarded, 'sue']);
    });

    test('userNotification at INFO: a sign-up code and a password-reset code are records', async () => {
      await configure(plusPool, [{ EventSource: 'userNotification', LogLevel: 'INFO', CloudWatchLogsConfiguration: { LogGroupArn: logGroup('notify-all') } }]);
      const before = (await recordsIn('notify')).length;
      await gh.cognito.send(new SignUpCommand({ ClientId: clientId, Username: 'bob', Password: 'Password1!', UserAttributes: [{ Name: 'email', Value: 'bob@example.com' }] }));
      const signUpCode = await mailbox.next('bob@example.com');
      await gh.cognito.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: 'bob', ConfirmationCode: signUpCode.code }));
      const [signUp, ...more] = (await recordsIn('notify')).slice(before);
      assert.deepEqual(more, []);
      assert.deepEqual(
        { ...signUp, eventTimestamp: undefined, userSub: undefined },
        {
          eventTimestamp: undefined,
          logLevel: 'INFO',
          message: 'Email message delivered',
          logSourceVersion: '1.0',
          eventSource: 'USER_NOTIFICATION',
          eventType: 'SignUp',
          userPoolId: plusPool,
          userSub: undefined,
          deliveryChannel: 'EMAIL',
        },
      );
      assert.match(signUp.eventTimestamp, /^\d{13}$/);
      assert.ok(!JSON.stringify(signUp).includes('bob@example.com'), 'the address stays out of the log');
      await gh.cognito.send(new ForgotPasswordCommand({ ClientId: clientId, Username: 'bob' }));
      const code = await mailbox.next('bob@example.com');
      const [reset] = (await recordsIn('notify')).slice(before + 1);
      assert.equal(reset.eventType, 'ForgotPassword');
      assert.equal(reset.logLevel, 'INFO');
      assert.ok(!JSON.stringify(reset).includes(code.code), 'the code stays out of the log');
    });

    test('userNotification at ERROR: a delivered message writes nothing, a failed one an ERROR record', async () => {
      await configure(plusPool, [{ EventSource: 'userNotification', LogLevel: 'ERROR', CloudWatchLogsConfiguration: { LogGroupArn: logGroup('notify-errors') } }]);
      await gh.cognito.send(new AdminCreateUserCommand({ UserPoolId: plusPool, Username: 'cat', MessageAction: 'SUPPRESS', UserAttributes: [{ Name: 'phone_number', Value: '+15550100' }, { Name: 'phone_number_verified', Value: 'true' }] }));
      await gh.cognito.send(new AdminSetUserPasswordCommand({ UserPoolId: plusPool, Username: 'cat', Password: 'Password1!', Permanent: true }));
      const before = (await recordsIn('notify')).length;
      await gh.cognito.send(new ForgotPasswordCommand({ ClientId: clientId, Username: 'bob' }));
      await mailbox.next('bob@example.com');
      assert.equal((await recordsIn('notify')).length, before, 'a success is not an error');
      // The SMS endpoint refuses connections: the user's request still succeeds, and the failure is logged.
      await gh.cognito.send(new ForgotPasswordCommand({ ClientId: clientId, Username: 'cat' }));
      const [failure, ...more] = (await recordsIn('notify')).slice(before);
      assert.deepEqual(more, []);
      assert.equal(failure.logLevel, 'ERROR');
      assert.equal(failure.eventSource, 'USER_NOTIFICATION');
      assert.equal(failure.message, 'SMS message delivery failed');
      assert.equal(failure.deliveryChannel, 'SMS');
      assert.equal(failure.eventType, 'ForgotPassword');
      assert.match(failure.error, /webhook delivery to .* failed/);
      assert.ok(!JSON.stringify(failure).includes('+15550100'), 'the number stays out of the log');
    });

    test('an HTTP destination receives the records POSTed as JSON lines', async () => {
      await configure(plusPool, [{ EventSource: 'userAuthEvents', LogLevel: 'INFO', FirehoseConfiguration: { StreamArn: STREAM } }]);
      const before = collector.records.length;
      await signIn('Password1!');
      await gh.server.services.poolLogs.flush();
      const received = collector.records.slice(before);
      assert.equal(received.length, 1);
      assert.equal(received[0].eventSource, 'USER_AUTH_EVENTS');
      assert.equal(received[0].message.eventResponse, 'Pass');
      assert.equal(received[0].message.userPoolId, plusPool);
    });

    test('removing the configuration stops the records', async () => {
      await configure(plusPool, [{ EventSource: 'userAuthEvents', LogLevel: 'INFO', CloudWatchLogsConfiguration: { LogGroupArn: logGroup('auth') } }]);
      await signIn('Password1!');
      const before = (await recordsIn('auth')).length;
      await configure(plusPool, []);
      await signIn('Password1!');
      assert.equal((await recordsIn('auth')).length, before);
    });

    test('an ARN the config maps nowhere is accepted, and its records are dropped without failing the sign-in', async () => {
      await configure(plusPool, [{ EventSource: 'userAuthEvents', LogLevel: 'INFO', S3Configuration: { BucketArn: 'arn:aws:s3:::unmapped-bucket' } }]);
      const before = (await recordsIn('auth')).length;
      assert.ok((await signIn('Password1!')).AuthenticationResult?.AccessToken);
      assert.equal((await recordsIn('auth')).length, before);
      await configure(plusPool, []);
    });
  });
}
