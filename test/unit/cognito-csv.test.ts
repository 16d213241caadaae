// Cognito's import CSV: backslash-escaped commas, trimmed values, and a file that arrives in parts
// split anywhere, even inside a multi-byte character.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { csvLines, splitCsvLine } from '../../src/domain/imports/cognito-csv.js';

async function linesOf(parts: Uint8Array[]): Promise<[number, string][]> {
  const out: [number, string][] = [];
  for await (const line of csvLines((async function* () { yield* parts; })())) out.push([line.number, line.text]);
  return out;
}

describe('Cognito import CSV', () => {
  it('splits at unescaped commas, unescapes \\, and trims values', () => {
    assert.deepEqual(splitCsvLine('Smith\\, Alice , alice@example.com,,true'), ['Smith, Alice', 'alice@example.com', '', 'true']);
    assert.deepEqual(splitCsvLine('a\\b,c'), ['a\\b', 'c']);
    assert.deepEqual(splitCsvLine(''), ['']);
  });

  it('numbers lines as Cognito\'s log does, across any split of the bytes, without a BOM', async () => {
    const text = '\uFEFFname,cognito:username\r\nZoë,zoe\n\nJosé\\, Jr,jose\nlast,no-newline';
    const bytes = new TextEncoder().encode(text);
    const expected: [number, string][] = [[1, 'name,cognito:username'], [2, 'Zoë,zoe'], [4, 'José\\, Jr,jose'], [5, 'last,no-newline']];
    assert.deepEqual(await linesOf([bytes]), expected);
    for (let cut = 1; cut < bytes.length; cut++) {
      assert.deepEqual(await linesOf([bytes.subarray(0, cut), bytes.subarray(cut)]), expected, `split at byte ${cut}`);
    }
    assert.deepEqual(await linesOf([...bytes].map((b) => Uint8Array.of(b))), expected, 'one byte at a time');
  });
});
