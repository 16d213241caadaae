// `gatehouse serve` as an operator runs it: flags, start, clean shutdown, and no acknowledged write lost to kill -9.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join, dirname } from 'node:path';
import { describe, test } from 'node:test';
import {
  AdminGetUserCommand,
  CreateUserPoolCommand,
  DescribeUserPoolCommand,
  ListUserPoolClientsCommand,
  ListUserPoolsCommand,
  ListUsersCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { backends, cognitoClient, databaseFor, rawCall } from './support/gatehouse.js';
import { run, serve } from './support/process.js';

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
      const server = await serve(['--db', database]);
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

      const restarted = await serve(['--db', database]);
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
