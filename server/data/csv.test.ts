import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readCsv } from './csv.ts';
import { expectDataError, makeTempDir, removeTempDir } from './test-fixtures.ts';

let dir: string;
beforeEach(async () => {
  dir = await makeTempDir();
});
afterEach(async () => {
  await removeTempDir(dir);
});

async function fileWith(content: string | Uint8Array, name = 'reviews.csv'): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, content);
  return path;
}

describe('readCsv', () => {
  it('reads text and label in any column order, ignoring extra columns', async () => {
    const path = await fileWith('id,label,text,source\n1,positive,Great.,web\n2,0,Bad.,web\n3,NEG,Poor.,\n');
    const dataset = await readCsv(path);
    expect(dataset).toEqual({
      path,
      format: 'csv',
      split: 'none',
      train: [],
      test: [
        { text: 'Great.', label: 1 },
        { text: 'Bad.', label: 0 },
        { text: 'Poor.', label: 0 },
      ],
    });
  });

  it('handles RFC 4180 quoting: commas, doubled quotes, embedded newlines, CRLF, BOM, no final newline', async () => {
    const path = await fileWith(
      '\uFEFFtext,label\r\n' +
        '"Long, winding, fine",1\r\n' +
        '"She said ""wow"".",pos\r\n' +
        '"Line one\r\nline two\nline three",negative\r\n' +
        '\r\n' +
        'plain text,1',
    );
    const dataset = await readCsv(path);
    expect(dataset.test).toEqual([
      { text: 'Long, winding, fine', label: 1 },
      { text: 'She said "wow".', label: 1 },
      { text: 'Line one\r\nline two\nline three', label: 0 },
      { text: 'plain text', label: 1 },
    ]);
  });

  it('names the line of a bad label, counting lines inside quoted fields', async () => {
    const path = await fileWith('text,label\n"two\nlines",1\nfine,maybe\n');
    const error = await expectDataError(readCsv(path), path, /label/, 4);
    expect(error.message).toBe(`${path}:4: label must be 0, 1, "negative" or "positive" (got "maybe")`);
  });

  it('names the line where an unterminated quote opens', async () => {
    const path = await fileWith('text,label\nok,1\n"never closed,0\nmore,1\n');
    await expectDataError(readCsv(path), path, /unterminated quoted field/, 3);
  });

  it('rejects text after a closing quote', async () => {
    const path = await fileWith('text,label\n"quoted"tail,1\n');
    await expectDataError(readCsv(path), path, /unexpected character after closing quote/, 2);
  });

  it('rejects a header without a label column', async () => {
    const path = await fileWith('text,sentiment\nGreat.,1\n');
    await expectDataError(readCsv(path), path, /header has no "label" column \(found: text, sentiment\)/, 1);
  });

  it('rejects a row with a missing field', async () => {
    const path = await fileWith('text,label\nGreat.,1\nJust text\n');
    await expectDataError(readCsv(path), path, /expected 2 fields as in the header, got 1/, 3);
  });

  it('rejects an empty text field', async () => {
    const path = await fileWith('text,label\n"",1\n');
    await expectDataError(readCsv(path), path, /text is empty/, 2);
  });

  it('rejects a file with only a header', async () => {
    const path = await fileWith('text,label\n');
    await expectDataError(readCsv(path), path, /no examples found/);
  });

  it('rejects an empty file', async () => {
    const path = await fileWith('');
    await expectDataError(readCsv(path), path, /file is empty/);
  });

  it('names the line holding bytes that are not UTF-8', async () => {
    const path = await fileWith(Buffer.concat([Buffer.from('text,label\nok,1\nna'), Buffer.from([0xef, 0xbb]), Buffer.from('ve,1\n')]));
    await expectDataError(readCsv(path), path, /not valid UTF-8/, 3);
  });

  it('names a missing file', async () => {
    const path = join(dir, 'absent.csv');
    await expectDataError(readCsv(path), path, /no such file/);
  });
});
