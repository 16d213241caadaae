// `gatehouse serve` as an operator runs it: flags, start, clean shutdown, and no acknowledged write lost to kill -9.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join, dirname } from 'node:path';
import { describe, test } from 'node:test';
import {
  AdminGetUserCommand,
  CreateUserPoolCommand,
  DescribeUserPoolCommand,
  GetUserCommand,
  ListUserPoolClientsCommand,
  ListUserPoolsCommand,
  ListUsersCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { errorOf } from './support/errors.js';
import { backends, cognitoClient, databaseFor, rawCall, serverKeyEnv } from './support/gatehouse.js';
import { run, serve, type ServerProcess } from './support/process.js';
import { adminSignIn, poolWithUser } from './support/sign-in.js';

const stop = async (server: ServerProcess) => {
  server.child.kill('SIGTERM');
  await server.exited;
};

describe('gatehouse command', () => {
  test('--help lists the serve options', async () => {
    const { code, stdout } = await run(['--help']);
    assert.equal(code, 0);
    for (const flag of ['serve', '--host', '--port', '--db', '--config']) assert.ok(stdout.includes(flag), `${flag} in help`);
  });

  test('a bad flag or config value fails with a clear message, not a stack', async () => {
    const badPort = await run(['serve', '--port', 'abc']);
    assert.equal(badPort.code, 1);
    assert.match(badPort.stderr, /--port must be a number/);
    const badRegion = await run(['serve', '--region', 'mars', '--port', '0']);
    assert.equal(badRegion.code, 1);
    assert.match(badRegion.stderr, /does not look like an AWS region/);
  });

  test('SIGTERM lets an in-flight request finish, then exits 0', async () => {
    const { database, cleanup } = await databaseFor('sqlite');
    const server = await serve(['--db', database]);
    const inFlight = rawCall(server.url, 'CreateUserPool', { PoolName: 'in-flight' });
    await new Promise((resolve) => setTimeout(resolve, 20));
    server.child.kill('SIGTERM');
    const response = await inFlight;
    assert.equal(response.status, 200);
    assert.deepEqual(await server.exited, { code: 0, signal: null });

    const again = await serve(['--db', database]);
    const cognito = cognitoClient(again.url);
    const { UserPool } = await cognito.send(new DescribeUserPoolCommand({ UserPoolId: response.body.UserPool.Id }));
    assert.equal(UserPool!.Name, 'in-flight');
    again.child.kill('SIGINT');
    assert.equal((await again.exited).code, 0);
    cognito.destroy();
    await cleanup();
  });

  for (const backend of backends()) {
    test(`every acknowledged CreateUserPool survives kill -9 (${backend})`, async () => {
      const { database, cleanup } = await databaseFor(backend);
      const server = await serve(['--db', database], serverKeyEnv(backend));
      const cognito = cognitoClient(server.url);
      const acknowledged: string[] = [];
      // Keep writing while the process is killed: whatever was answered must be there afterwards.
      let killed = false;
      const writers = Array.from({ length: 4 }, async (_, w) => {
        for (let i = 0; !killed; i++) {
          try {
            const { UserPool } = await cognito.send(new CreateUserPoolCommand({ PoolName: `durable-${w}-${i}` }));
            acknowledged.push(UserPool!.Id!);
          } catch {
            return;
          }
        }
      });
      while (acknowledged.length < 20) await new Promise((resolve) => setTimeout(resolve, 10));
      server.child.kill('SIGKILL');
      killed = true;
      await Promise.all(writers);
      await server.exited;
      cognito.destroy();

      const restarted = await serve(['--db', database], serverKeyEnv(backend));
      const after = cognitoClient(restarted.url);
      const found = new Set<string>();
      let token: string | undefined;
      do {
        const page = await after.send(new ListUserPoolsCommand({ MaxResults: 60, NextToken: token }));
        for (const pool of page.UserPools!) found.add(pool.Id!);
        token = page.NextToken;
      } while (token);
      for (const id of acknowledged) assert.ok(found.has(id), `acknowledged pool ${id} survived`);
      restarted.child.kill('SIGTERM');
      await restarted.exited;
      after.destroy();
      await cleanup();
    });
  }

  test('an SQLite database keeps its server key in server.key beside it, 0600, across restarts', async () => {
    const { database, cleanup } = await databaseFor('sqlite');
    const keyFile = join(dirname(database), 'server.key');
    const noKeyInEnv = { GATEHOUSE_SERVER_KEY: '' };
    // One issuer across restarts on different ports, so tokens from before the restart stay valid.
    const args = ['--db', database, '--public-url', 'http://gatehouse.test'];
    const first = await serve(args, noKeyInEnv);
    assert.match(first.output(), /generated a new server key/);
    assert.equal((await stat(keyFile)).mode & 0o777, 0o600);
    const key = await readFile(keyFile, 'utf8');
    let cognito = cognitoClient(first.url);
    const target = await poolWithUser(cognito);
    const before = await adminSignIn(cognito, target);
    cognito.destroy();
    first.child.kill('SIGKILL');
    await first.exited;

    const second = await serve(args, noKeyInEnv);
    assert.doesNotMatch(second.output(), /generated a new server key/);
    assert.equal(await readFile(keyFile, 'utf8'), key);
    cognito = cognitoClient(second.url);
    assert.equal((await cognito.send(new GetUserCommand({ AccessToken: before.AccessToken }))).Username, 'ann', 'tokens from before the restart verify');
    assert.ok((await adminSignIn(cognito, target)).AccessToken, 'the sealed signing keys open after the restart');
    cognito.destroy();
    await stop(second);

    // GATEHOUSE_SERVER_KEY wins over the file: here a different key, which cannot open the pool's signing keys.
    const otherKey = await serve(args, { GATEHOUSE_SERVER_KEY: randomBytes(32).toString('hex') });
    cognito = cognitoClient(otherKey.url);
    assert.equal((await errorOf(adminSignIn(cognito, target))).name, 'InternalErrorException');
    // The worker's log line travels through a pipe and may trail the answer a little.
    const explained = /sealed with key [0-9a-f]{8}, this server has key [0-9a-f]{8}: every node must share the same server key/;
    for (let waited = 0; waited < 2000 && !explained.test(otherKey.output()); waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
    assert.match(otherKey.output(), explained);
    assert.equal(await readFile(keyFile, 'utf8'), key, 'the key file is left alone');
    cognito.destroy();
    await stop(otherKey);
    await cleanup();
  });

  test('GATEHOUSE_SERVER_KEY: used instead of a key file, and refused when it is not a key', async () => {
    const { database, cleanup } = await databaseFor('sqlite');
    const server = await serve(['--db', database], { GATEHOUSE_SERVER_KEY: randomBytes(32).toString('base64') });
    await assert.rejects(stat(join(dirname(database), 'server.key')), { code: 'ENOENT' });
    await stop(server);
    const bad = await run(['serve', '--port', '0', '--db', database], { GATEHOUSE_SERVER_KEY: 'secret-but-short' });
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /serverKey must hold 32 or more random bytes/);
    assert.doesNotMatch(bad.stderr, /secret-but-short/);
    await cleanup();
  });

  test('--config applies a YAML seed idempotently, with fixed ids and secrets', async () => {
    const { database, cleanup } = await databaseFor('sqlite');
    const configFile = join(dirname(database), 'gatehouse.yaml');
    await writeFile(
      configFile,
      [
        'region: eu-west-1',
        'userPools:',
        '  - Id: eu-west-1_DevPool01',
        '    PoolName: dev',
        '    UsernameAttributes: [email]',
        '    Clients:',
        '      - ClientName: web',
        '        ClientId: devwebclient0000000000000a',
        '      - ClientName: backend',
        '        ClientId: devbackendclient000000000a',
        '        ClientSecret: devsecretdevsecretdevsecret0000',
        '        ExplicitAuthFlows: [ALLOW_ADMIN_USER_PASSWORD_AUTH, ALLOW_REFRESH_TOKEN_AUTH]',
        '    Users:',
        '      - Username: dev@example.com',
        '        Password: Dev-password-1',
        '        UserAttributes: [{Name: email_verified, Value: "true"}, {Name: name, Value: Dev}]',
        '  - PoolName: second',
        '',
      ].join('\n'),
    );
    for (let start = 0; start < 2; start++) {
      const server = await serve(['--db', database, '--config', configFile]);
      const cognito = cognitoClient(server.url);
      const { UserPool } = await cognito.send(new DescribeUserPoolCommand({ UserPoolId: 'eu-west-1_DevPool01' }));
      assert.deepEqual(UserPool!.UsernameAttributes, ['email']);
      const { UserPoolClients } = await cognito.send(new ListUserPoolClientsCommand({ UserPoolId: 'eu-west-1_DevPool01', MaxResults: 10 }));
      assert.deepEqual(UserPoolClients!.map((c) => c.ClientId).sort(), ['devbackendclient000000000a', 'devwebclient0000000000000a']);
      const response = await rawCall(server.url, 'DescribeUserPoolClient', { UserPoolId: 'eu-west-1_DevPool01', ClientId: 'devbackendclient000000000a' });
      assert.equal(response.body.UserPoolClient.ClientSecret, 'devsecretdevsecretdevsecret0000');
      const { UserStatus, UserAttributes } = await cognito.send(new AdminGetUserCommand({ UserPoolId: 'eu-west-1_DevPool01', Username: 'dev@example.com' }));
      assert.equal(UserStatus, 'CONFIRMED');
      assert.equal(UserAttributes!.find((a) => a.Name === 'name')!.Value, 'Dev');
      const { Users } = await cognito.send(new ListUsersCommand({ UserPoolId: 'eu-west-1_DevPool01' }));
      assert.equal(Users!.length, 1, `start ${start + 1}: the seeded user exists once`);
      const { UserPools } = await cognito.send(new ListUserPoolsCommand({ MaxResults: 60 }));
      assert.equal(UserPools!.filter((p) => p.Name === 'second').length, 1, `start ${start + 1}: one pool named second`);
      assert.match(UserPools!.find((p) => p.Name === 'second')!.Id!, /^eu-west-1_/);
      server.child.kill('SIGTERM');
      await server.exited;
      cognito.destroy();
    }
    await writeFile(configFile, 'userPools:\n  - PoolName: bad\n    Policies: {PasswordPolicy: {MinimumLength: 2}}\n');
    const bad = await run(['serve', '--port', '0', '--db', database, '--config', configFile]);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /userPools\[0\] \(bad\).*minimumLength/);
    await cleanup();
  });
});
