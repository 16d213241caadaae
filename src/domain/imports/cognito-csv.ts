import { StringDecoder } from 'node:string_decoder';

/**
 * Cognito's import CSV, which is not RFC 4180: no quoting, a comma inside a value is written `\,`,
 * values are trimmed, and the file is UTF-8 (a byte-order mark is tolerated and dropped).
 */

/** Cognito's limits on an import file. */
export const CSV_LIMITS = { bytes: 100 * 1024 * 1024, rows: 500_000, rowCharacters: 16_000 } as const;

/** One line's values, split at the commas that are not escaped. */
export function splitCsvLine(line: string): string[] {
  const values: string[] = [];
  let current = '';
  for (let i = 0; i < line.length; i++) {
    const char = line[i]!;
    if (char === '\\' && line[i + 1] === ',') {
      current += ',';
      i++;
    } else if (char === ',') {
      values.push(current.trim());
      current = '';
    } else {
      current += char;
    }
  }
  values.push(current.trim());
  return values;
}

export interface CsvLine {
  /** 1-based, as Cognito's log names lines: the header is line 1. */
  number: number;
  text: string;
}

/**
 * The lines of a file that arrives in parts (split anywhere, even inside a UTF-8 character),
 * without its line breaks; blank lines are numbered but not yielded.
 */
export async function* csvLines(parts: AsyncIterable<Uint8Array>): AsyncGenerator<CsvLine> {
  const decoder = new StringDecoder('utf8');
  let pending = '';
  let number = 0;
  let first = true;
  const complete = function* (text: string, final: boolean): Generator<CsvLine> {
    pending += text;
    if (first && pending.length > 0) {
      if (pending.charCodeAt(0) === 0xfeff) pending = pending.slice(1);
      first = false;
    }
    let start = 0;
    for (let end = pending.indexOf('\n'); end !== -1; end = pending.indexOf('\n', start)) {
      number++;
      const line = pending.slice(start, end).replace(/\r$/, '');
      if (line.trim() !== '') yield { number, text: line };
      start = end + 1;
    }
    pending = pending.slice(start);
    if (final && pending.replace(/\r$/, '').trim() !== '') yield { number: ++number, text: pending.replace(/\r$/, '') };
  };
  for await (const part of parts) yield* complete(decoder.write(Buffer.from(part.buffer, part.byteOffset, part.byteLength)), false);
  yield* complete(decoder.end(), true);
}
