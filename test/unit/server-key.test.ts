import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ConfigError, decodeServerKey, defaultConfig, mergeConfig } from '../../src/config.js';
import { defaultServerKeyFile, resolveServerKey } from '../../src/server-key.js';

describe('server key', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'gatehouse-key-'));
  after(() => rm(dir, { recursive: true, force: true }));

  it('is read as hex or base64, and only when it is 32 bytes or more', () => {
    const key = randomBytes(32);
    assert.deepEqual(decodeServerKey(key.toString('hex')), key);
    assert.deepEqual(decodeServerKey(`${key.toString('base64')}\n`), key);
    assert.deepEqual(decodeServerKey(key.toString('base64url')), key);
    assert.equal(decodeServerKey(randomBytes(16).toString('base64')), undefined);
    assert.equal(decodeServerKey('not a key!'), undefined);
  });

  it('is checked with the config, without repeating it', () => {
    assert.throws(() => mergeConfig(defaultConfig(), { serverKey: 'tooshort' }), (error: Error) => error instanceof ConfigError && /serverKey must hold 32/.test(error.message) && !error.message.includes('tooshort'));
    assert.equal(mergeConfig(defaultConfig(), { serverKeyFile: '/etc/gatehouse/key' }).serverKeyFile, '/etc/gatehouse/key');
  });

  it('lives beside an SQLite file, or under ./.gatehouse for PostgreSQL', () => {
    assert.equal(defaultServerKeyFile('/var/lib/gatehouse/gatehouse.db'), '/var/lib/gatehouse/server.key');
    assert.equal(defaultServerKeyFile('postgres://db/gatehouse'), join('.gatehouse', 'server.key'));
  });

  it('is made once, mode 0600, even by several starts at once', async () => {
    const database = join(dir, 'new', 'gatehouse.db');
    const starts = await Promise.all(Array.from({ length: 8 }, () => resolveServerKey({ database })));
    assert.equal(starts.filter((start) => start.source === 'generated').length, 1);
    for (const start of starts) assert.deepEqual(start.key, starts[0]!.key);
    const file = join(dir, 'new', 'server.key');
    assert.equal((await stat(file)).mode & 0o777, 0o600);
    assert.deepEqual(await readdir(join(dir, 'new')), ['server.key'], 'no temporary files left');
    const again = await resolveServerKey({ database });
    assert.deepEqual([again.source, again.key], ['file', starts[0]!.key]);
  });

  it('comes from the configuration first, then serverKeyFile', async () => {
    const configured = randomBytes(32);
    const file = join(dir, 'configured.key');
    await writeFile(file, randomBytes(32).toString('hex'));
    const fromConfig = await resolveServerKey({ database: join(dir, 'db'), serverKeyFile: file, serverKey: configured.toString('base64') });
    assert.deepEqual([fromConfig.source, fromConfig.key], ['config', configured]);
    const fromFile = await resolveServerKey({ database: join(dir, 'db'), serverKeyFile: file });
    assert.deepEqual(fromFile.key, Buffer.from(await readFile(file, 'utf8'), 'hex'));
  });

  it('is a throwaway for an in-memory database, and a bad key file stops the start', async () => {
    const memory = await resolveServerKey({ database: ':memory:' });
    assert.equal(memory.source, 'ephemeral');
    assert.equal(memory.file, undefined);
    const bad = join(dir, 'bad.key');
    await writeFile(bad, 'short');
    await assert.rejects(resolveServerKey({ database: ':memory:', serverKeyFile: bad }), /bad\.key must hold 32/);
  });
});
