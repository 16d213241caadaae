import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import * as sdk from '@aws-sdk/client-cognito-identity-provider';
import { startTestGatehouse, type TestGatehouse } from './support/gatehouse.js';

/** Every operation of the SDK this project pins, from its generated commands. */
function sdkOperations(): string[] {
  const packageJson = createRequire(import.meta.url).resolve('@aws-sdk/client-cognito-identity-provider/package.json');
  return readdirSync(join(dirname(packageJson), 'dist-types', 'commands'))
    .filter((file) => file.endsWith('Command.d.ts'))
    .map((file) => file.slice(0, -'Command.d.ts'.length))
    .sort();
}

describe('every operation of the service', () => {
  let gatehouse: TestGatehouse;
  before(async () => {
    gatehouse = await startTestGatehouse('sqlite');
  });
  after(() => gatehouse.stop());

  test('the SDK has 140 operations and each one runs: a Cognito answer to an empty request, never UnsupportedOperationException or a 500', async () => {
    const names = sdkOperations();
    assert.equal(names.length, 140);
    const unsupported: string[] = [];
    for (const name of names) {
      const Command = (sdk as unknown as Record<string, new (input: object) => any>)[`${name}Command`];
      assert.ok(Command, `${name}Command is exported`);
      try {
        await gatehouse.cognito.send(new Command({}));
      } catch (error) {
        const { name: type, $metadata } = error as { name: string; $metadata?: { httpStatusCode?: number } };
        if (type === 'UnsupportedOperationException') unsupported.push(name);
        assert.ok(($metadata?.httpStatusCode ?? 0) < 500, `${name} answered ${type} with ${$metadata?.httpStatusCode}`);
      }
    }
    assert.deepEqual(unsupported, []);
  });
});
