// Issue 15, point 5: development mode (no access keys, loopback) must not hand a developer's local
// Gatehouse to the web pages their browser visits. A page of another origin, or one whose name was
// rebound to 127.0.0.1 (DNS rebinding: the request carries the page's Host), gets no IAM operation;
// browser apps on any origin keep the public operations, as with Cognito. Codes are logged by
// default, but not by a server that is reachable from elsewhere and has keys.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { CreateUserPoolClientCommand, CreateUserPoolCommand } from '@aws-sdk/client-cognito-identity-provider';
import { databaseFor, startTestGatehouse, type TestGatehouse } from './support/gatehouse.js';
import { serve } from './support/process.js';
import { assertCognitoError, protocolRequest, sendRaw, signRequest } from './support/raw-http.js';

const EVIL = 'http://evil.example';

describe('development mode: where requests come from', () => {
  let gh: TestGatehouse;
  let clientId: string;
  before(async () => {
    gh = await startTestGatehouse('sqlite');
    const poolId = (await gh.cognito.send(new CreateUserPoolCommand({ PoolName: 'dev' }))).UserPool!.Id!;
    clientId = (await gh.cognito.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'web' }))).UserPoolClient!.ClientId!;
  });
  after(() => gh.stop());

  const poolCount = async () => (await sendRaw(gh.url, protocolRequest(gh.url, 'ListUserPools', { MaxResults: 60 }))).json.UserPools.length as number;

  test('a cross-origin preflight is answered, so browser apps reach the public operations', async () => {
    const preflight = await sendRaw(gh.url, {
      method: 'OPTIONS',
      headers: { host: new URL(gh.url).host, origin: EVIL, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,x-amz-target' },
      body: '',
    });
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers['access-control-allow-origin'], EVIL);
    const signUp = await sendRaw(gh.url, protocolRequest(gh.url, 'SignUp', { ClientId: clientId, Username: 'from-a-page', Password: 'Password1!' }, { origin: EVIL }));
    assert.equal(signUp.status, 200, signUp.text);
    assert.equal(signUp.headers['access-control-allow-origin'], EVIL);
  });

  test('an IAM operation sent by a page of another origin is refused, and nothing happens', async () => {
    const before = await poolCount();
    for (const origin of [EVIL, 'null', 'http://localhost.evil.example', 'chrome-extension://abcdef']) {
      const answer = await sendRaw(gh.url, protocolRequest(gh.url, 'CreateUserPool', { PoolName: 'planted' }, { origin }));
      assertCognitoError(answer, 'AccessDeniedException', /development mode.*CreateUserPool/);
    }
    assert.equal(await poolCount(), before, 'no pool was created');
    const listed = await sendRaw(gh.url, protocolRequest(gh.url, 'ListUsers', { UserPoolId: 'us-east-1_abc' }, { origin: EVIL }));
    assertCognitoError(listed, 'AccessDeniedException');
  });

  test('an IAM operation addressed to a foreign name (DNS rebinding) is refused, with or without an Origin', async () => {
    const port = new URL(gh.url).port;
    for (const host of [`evil.example:${port}`, `attacker.test`, `127.0.0.1.nip.io:${port}`]) {
      assertCognitoError(await sendRaw(gh.url, protocolRequest(gh.url, 'ListUserPools', { MaxResults: 5 }, { host })), 'AccessDeniedException');
      assertCognitoError(await sendRaw(gh.url, protocolRequest(gh.url, 'ListUserPools', { MaxResults: 5 }, { host, origin: `http://${host}` })), 'AccessDeniedException');
    }
    // The public operations do not depend on the Host: a name rebound is no key to an admin operation.
    const signUp = await sendRaw(gh.url, protocolRequest(gh.url, 'SignUp', { ClientId: clientId, Username: 'rebound', Password: 'Password1!' }, { host: `evil.example:${port}` }));
    assert.equal(signUp.status, 200, signUp.text);
  });

  test('loopback names and origins are welcome: the SDK, the CLI, a dev server on localhost', async () => {
    const port = new URL(gh.url).port;
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `LOCALHOST:${port}`, `app.localhost:${port}`, `[::1]:${port}`, '127.0.0.2']) {
      const answer = await sendRaw(gh.url, protocolRequest(gh.url, 'ListUserPools', { MaxResults: 5 }, { host }));
      assert.equal(answer.status, 200, `${host}: ${answer.text}`);
    }
    for (const origin of ['http://localhost:3000', 'https://localhost', 'http://127.0.0.1:5173', 'http://[::1]:8080', 'http://my-app.localhost:3000']) {
      const answer = await sendRaw(gh.url, protocolRequest(gh.url, 'ListUserPools', { MaxResults: 5 }, { origin }));
      assert.equal(answer.status, 200, `${origin}: ${answer.text}`);
    }
  });
});

describe('with access keys, the origin is the signature\'s business', () => {
  const KEY = { accessKeyId: 'AKIDDEVMODE', secretAccessKey: 'dev-mode-secret-key' };
  let gh: TestGatehouse;
  before(async () => {
    gh = await startTestGatehouse('sqlite', { accessKeys: [KEY] });
  });
  after(() => gh.stop());

  test('a signed request from any origin and to any host name is answered; an unsigned one is not', async () => {
    const raw = protocolRequest(gh.url, 'ListUserPools', { MaxResults: 5 }, { origin: EVIL });
    const signed = await sendRaw(gh.url, await signRequest(gh.url, raw, KEY));
    assert.equal(signed.status, 200, signed.text);
    assertCognitoError(await sendRaw(gh.url, raw), 'MissingAuthenticationTokenException');
  });
});

describe('what the log says of messages', () => {
  const KEYS = { GATEHOUSE_ACCESS_KEY_ID: 'AKIDLOGCODES', GATEHOUSE_SECRET_ACCESS_KEY: 'log-codes-secret' };

  async function startAndSignUp(args: string[], env: NodeJS.ProcessEnv): Promise<string> {
    const { database, cleanup } = await databaseFor('sqlite');
    const server = await serve(['--db', database, '--workers', '1', ...args], env);
    try {
      const raw = (operation: string, body: unknown) => signRequest(server.url, protocolRequest(server.url, operation, body), { accessKeyId: KEYS.GATEHOUSE_ACCESS_KEY_ID, secretAccessKey: KEYS.GATEHOUSE_SECRET_ACCESS_KEY });
      const pool = await sendRaw(server.url, await raw('CreateUserPool', { PoolName: 'log', AutoVerifiedAttributes: ['email'] }));
      const client = await sendRaw(server.url, await raw('CreateUserPoolClient', { UserPoolId: pool.json.UserPool.Id, ClientName: 'c' }));
      const signUp = await sendRaw(
        server.url,
        protocolRequest(server.url, 'SignUp', { ClientId: client.json.UserPoolClient.ClientId, Username: 'logged', Password: 'Password1!', UserAttributes: [{ Name: 'email', Value: 'logged@example.com' }] }),
      );
      assert.equal(signUp.status, 200, signUp.text);
      await new Promise((resolve) => setTimeout(resolve, 200));
      return server.output();
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
      await cleanup();
    }
  }

  test('on loopback the code is in the log, and the start-up log says where messages go', async () => {
    const output = await startAndSignUp([], KEYS);
    assert.match(output, /messages: email → the server log \(codes and temporary passwords shown\); sms → the server log/);
    assert.match(output, /EMAIL to logged@example\.com for \S+ in \S+ \(CustomMessage_SignUp\): code \d{6}/);
  });

  test('reachable from elsewhere with keys, codes are withheld unless the configuration asks for them', async () => {
    const output = await startAndSignUp(['--host', '0.0.0.0'], KEYS);
    assert.match(output, /messages: email → the server log \(codes withheld: set showCodes: true to log them\)/);
    assert.match(output, /EMAIL to logged@example\.com for \S+ in \S+ \(CustomMessage_SignUp\): code withheld/);
    assert.doesNotMatch(output, /"code":"\d{6}"|code \d{6}/);
  });

  test('showCodes: true in the configuration puts them back', async () => {
    const configFile = join(tmpdir(), `gatehouse-show-codes-${process.pid}.json`);
    await writeFile(configFile, JSON.stringify({ messages: { email: { method: 'log', showCodes: true }, sms: { method: 'log' } } }));
    const output = await startAndSignUp(['--host', '0.0.0.0', '--config', configFile], KEYS);
    assert.match(output, /messages: email → the server log \(codes and temporary passwords shown\); sms → the server log \(codes withheld/);
    assert.match(output, /\(CustomMessage_SignUp\): code \d{6}/);
  });
});
