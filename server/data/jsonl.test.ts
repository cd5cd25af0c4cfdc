import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readJsonl } from './jsonl.ts';
import { expectDataError, makeTempDir, removeTempDir } from './test-fixtures.ts';

let dir: string;
beforeEach(async () => {
  dir = await makeTempDir();
});
afterEach(async () => {
  await removeTempDir(dir);
});

async function fileWith(content: string | Uint8Array, name = 'reviews.jsonl'): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, content);
  return path;
}

describe('readJsonl', () => {
  it('reads every label spelling, skips blank lines and ignores extra fields', async () => {
    const path = await fileWith(
      [
        '{"text": "Great.", "label": 1}',
        '',
        '{"text": "Bad.", "label": 0, "id": 7}',
        '   ',
        '{"label": "positive", "text": "Fine \\"quoted\\" film"}',
        '{"text": "Dull.", "label": "negative"}\r',
        '{"text": "Fun.", "label": "pos"}',
        '{"text": "Poor.", "label": "NEG"}',
      ].join('\n') + '\n',
    );
    const dataset = await readJsonl(path);
    expect(dataset).toEqual({
      path,
      format: 'jsonl',
      split: 'none',
      train: [],
      test: [
        { text: 'Great.', label: 1 },
        { text: 'Bad.', label: 0 },
        { text: 'Fine "quoted" film', label: 1 },
        { text: 'Dull.', label: 0 },
        { text: 'Fun.', label: 1 },
        { text: 'Poor.', label: 0 },
      ],
    });
  });

  it('names the line with a bad label and shows the value', async () => {
    const path = await fileWith('{"text": "ok", "label": 1}\n\n{"text": "hmm", "label": "meh"}\n');
    const error = await expectDataError(readJsonl(path), path, /label/, 3);
    expect(error.message).toBe(`${path}:3: label must be 0, 1, "negative" or "positive" (got "meh")`);
  });

  it('rejects numeric labels other than 0 and 1', async () => {
    const path = await fileWith('{"text": "ok", "label": 2}\n');
    await expectDataError(readJsonl(path), path, /label must be 0, 1, "negative" or "positive" \(got 2\)$/, 1);
  });

  it('names the line with invalid JSON', async () => {
    const path = await fileWith('{"text": "a", "label": 1}\n{"text": "b", "label": 0}\n{"text": "c", "label": 1\n');
    await expectDataError(readJsonl(path), path, /invalid JSON/, 3);
  });

  it.each([
    ['a missing text', '{"label": 1}', /missing "text"$/],
    ['a missing label', '{"text": "x"}', /missing "label"$/],
    ['an empty text', '{"text": "  ", "label": 1}', /text must be a non-empty string \(got "  "\)$/],
    ['a non-string text', '{"text": 42, "label": 1}', /text must be a non-empty string \(got 42\)$/],
    ['an array instead of an object', '["x", 1]', /expected a JSON object/],
  ])('rejects %s', async (_case, line, message) => {
    const path = await fileWith(`{"text": "fine", "label": 0}\n${line}\n`);
    await expectDataError(readJsonl(path), path, message, 2);
  });

  it('names the line holding bytes that are not UTF-8', async () => {
    const good = Buffer.from('{"text": "ok", "label": 1}\n');
    const bad = Buffer.concat([Buffer.from('{"text": "caf'), Buffer.from([0xe9]), Buffer.from('", "label": 1}\n')]);
    const path = await fileWith(Buffer.concat([good, good, bad]));
    await expectDataError(readJsonl(path), path, /not valid UTF-8/, 3);
  });

  it('rejects an empty file', async () => {
    const path = await fileWith('\n\n');
    await expectDataError(readJsonl(path), path, /file is empty/);
  });

  it('names a missing file', async () => {
    const path = join(dir, 'absent.jsonl');
    await expectDataError(readJsonl(path), path, /no such file/);
  });
});
