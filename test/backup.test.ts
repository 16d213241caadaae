// Issue 22, point 4: `gatehouse backup` takes a consistent snapshot of a serving SQLite database,
// with the server key beside it; `gatehouse restore` puts both back. A backup taken while clients
// keep writing holds every write acknowledged before it began, and the restored server opens its
// sealed secrets (users sign in, tokens verify).
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import {
  AdminCreateUserCommand,
  AdminInitiateAuthCommand,
  AdminSetUserPasswordCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  GetUserCommand,
  ListUsersCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { cognitoClient, databaseFor } from './support/gatehouse.js';
import { run, serve, type ServerProcess } from './support/process.js';

const stop = async (server: ServerProcess) => {
  server.child.kill('SIGTERM');
  await server.exited;
};

async function usernames(cognito: CognitoIdentityProviderClient, UserPoolId: string): Promise<Set<string>> {
  const names = new Set<string>();
  let PaginationToken: string | undefined;
  do {
    const page = await cognito.send(new ListUsersCommand({ UserPoolId, PaginationToken }));
    for (const user of page.Users!) names.add(user.Username!);
    PaginationToken = page.PaginationToken;
  } while (PaginationToken);
  return names;
}

describe('gatehouse backup and restore (SQLite)', () => {
  test('a backup taken under load holds every acknowledged write before it; restored, users sign in', async () => {
    const source = await databaseFor('sqlite');
    const restored = await databaseFor('sqlite');
    const backup = join(source.database, '..', 'backups', 'gatehouse-backup.db');
    try {
      const server = await serve(['--port', '0', '--db', source.database, '--workers', '2']);
      const cognito = cognitoClient(server.url);
      let poolId: string;
      let clientId: string;
      const acknowledged: { name: string; at: number }[] = [];
      let backupStarted = 0;
      try {
        poolId = (await cognito.send(new CreateUserPoolCommand({ PoolName: 'backed-up' }))).UserPool!.Id!;
        clientId = (await cognito.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'app', ExplicitAuthFlows: ['ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] })))
          .UserPoolClient!.ClientId!;
        await cognito.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'keeper', MessageAction: 'SUPPRESS' }));
        await cognito.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: 'keeper', Password: 'Backed-up-1', Permanent: true }));

        let writing = true;
        const writers = Array.from({ length: 4 }, async (_, w) => {
          for (let i = 0; writing; i++) {
            const name = `w${w}-${i}`;
            await cognito.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: name, MessageAction: 'SUPPRESS' }));
            acknowledged.push({ name, at: Date.now() });
          }
        });
        // Under load, not at a fixed time: a busy test machine acknowledges fewer writes a second.
        while (acknowledged.length < 25) await new Promise((resolve) => setTimeout(resolve, 20));
        backupStarted = Date.now();
        const taken = await run(['backup', backup, '--db', source.database]);
        assert.equal(taken.code, 0, taken.stderr);
        assert.match(taken.stderr, /and its server key [0-9a-f]{8} to .*gatehouse-backup\.db\.key/);
        await new Promise((resolve) => setTimeout(resolve, 300));
        writing = false;
        await Promise.all(writers);
      } finally {
        cognito.destroy();
        await stop(server);
      }
      const before = acknowledged.filter(({ at }) => at < backupStarted).map(({ name }) => name);
      assert.ok(before.length > 20, `writes acknowledged before the backup: ${before.length}`);
      assert.ok(acknowledged.length > before.length, 'writes went on during and after the backup');

      const refused = await run(['restore', backup, '--db', source.database]);
      assert.equal(refused.code, 1);
      assert.match(refused.stderr, /exists: restore --force replaces it/);
      const put = await run(['restore', backup, '--db', restored.database]);
      assert.equal(put.code, 0, put.stderr);
      assert.ok(existsSync(join(restored.database, '..', 'server.key')), 'the backup\'s server key is in place');

      const again = await serve(['--port', '0', '--db', restored.database, '--workers', '1']);
      const client = cognitoClient(again.url);
      try {
        const names = await usernames(client, poolId);
        const missing = before.filter((name) => !names.has(name));
        assert.deepEqual(missing, [], 'every user acknowledged before the backup began is in it');
        const signedIn = await client.send(
          new AdminInitiateAuthCommand({ UserPoolId: poolId, ClientId: clientId, AuthFlow: 'ADMIN_USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'keeper', PASSWORD: 'Backed-up-1' } }),
        );
        const me = await client.send(new GetUserCommand({ AccessToken: signedIn.AuthenticationResult!.AccessToken }));
        assert.equal(me.Username, 'keeper');
      } finally {
        client.destroy();
        await stop(again);
      }
    } finally {
      await source.cleanup();
      await restored.cleanup();
    }
  });

  test('restore refuses a file that is not a Gatehouse database, and a key that does not fit; PostgreSQL points to pg_dump', async () => {
    const place = await databaseFor('sqlite');
    try {
      const notOurs = join(place.database, '..', 'not-a-backup.db');
      await writeFile(notOurs, 'hello');
      const garbage = await run(['restore', notOurs, '--db', place.database]);
      assert.equal(garbage.code, 1);
      assert.match(garbage.stderr, /is not an SQLite database/);

      const server = await serve(['--port', '0', '--db', place.database, '--workers', '1']);
      const cognito = cognitoClient(server.url);
      await cognito.send(new CreateUserPoolCommand({ PoolName: 'sealed' })); // its signing keys are sealed with the key
      cognito.destroy();
      await stop(server);
      const backup = join(place.database, '..', 'b.db');
      assert.equal((await run(['backup', backup, '--db', place.database])).code, 0);
      const wrongKey = await run(['restore', backup, '--db', join(place.database, '..', 'elsewhere', 'g.db')], { GATEHOUSE_SERVER_KEY: Buffer.alloc(32, 7).toString('base64') });
      assert.equal(wrongKey.code, 1);
      assert.match(wrongKey.stderr, /sealed with server key [0-9a-f]{8}; the configured key is/);

      const postgres = await run(['backup', 'x.db', '--db', 'postgres://user:pass@127.0.0.1:1/db']);
      assert.equal(postgres.code, 1);
      assert.match(postgres.stderr, /pg_dump/);
    } finally {
      await place.cleanup();
    }
  });
});
