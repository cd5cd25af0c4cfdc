import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorLine, makeCliTempDir, removeCliTempDir, runChorus, writeReviewFiles } from './test-support.ts';

let dir: string;
let data: { jsonl: string; csv: string };

beforeAll(async () => {
  dir = await makeCliTempDir();
  data = await writeReviewFiles(dir, 40, 2);
});
afterAll(() => removeCliTempDir(dir));

/** Runs a command that must fail: exit status 1, `chorus: error: <message>` first, no stack trace. */
async function expectFailure(args: string[], message: string | RegExp, opts: { oneLine?: boolean } = { oneLine: true }): Promise<void> {
  const run = await runChorus(args, dir);
  const { first, hasStack } = errorLine(run);
  expect(run.code, run.stderr).toBe(1);
  expect(hasStack, run.stderr).toBe(false);
  if (typeof message === 'string') expect(first).toBe(`chorus: error: ${message}`);
  else expect(first).toMatch(message);
  // Our own errors are exactly one line; commander's add its "(add --help for usage)" hint below.
  if (opts.oneLine) expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(run.stdout).toBe('');
}

const train = (...flags: string[]) => ['train', '--data', data.jsonl, '--out', join(dir, 'out'), '--hash-bits', '12', ...flags];

describe('chorus fails with one clear line and exit status 1', () => {
  it('--epochs abc', () => expectFailure(train('--epochs', 'abc'), '--epochs: must be a whole number (got "abc")'));

  it('--epochs 0', () => expectFailure(train('--epochs', '0'), '--epochs: must be at least 1 (got 0)'));

  it('several bad flags at once, on the same line', () =>
    expectFailure(train('--epochs', '2.5', '--lr', '0', '--hash-bits', '30'), '--epochs: must be a whole number (got "2.5"); --lr: must be greater than 0 (got 0); --hash-bits: must be at most 24 (got 30)'));

  it('a missing required flag (--out)', () =>
    expectFailure(['train', '--data', data.jsonl], "required option '--out <dir>' not specified", { oneLine: false }));

  it('an unknown flag', () => expectFailure(train('--epoch', '2'), /^chorus: error: unknown option '--epoch'/, { oneLine: false }));

  it('an invalid choice', () =>
    expectFailure(train('--backend', 'webgl'), /^chorus: error: option '--backend <name>' argument 'webgl' is invalid\. Allowed choices are wasm, cpu\.$/, { oneLine: false }));

  it('a data file that does not exist', () => {
    const missing = join(dir, 'nope.jsonl');
    return expectFailure(['train', '--data', missing, '--out', join(dir, 'out')], `${missing}: no such file or directory (from --data)`);
  });

  it('no data at all (no --data, no $CHORUS_DATA, empty cache)', () =>
    expectFailure(['train', '--out', join(dir, 'out')], /^chorus: error: .*aclImdb_v1\.tar\.gz: no dataset found: pass --data PATH, set CHORUS_DATA, or run `chorus data download`/));

  it('malformed JSONL, naming the file and line', async () => {
    const file = join(dir, 'malformed.jsonl');
    await writeFile(file, '{"text": "fine", "label": 1}\n\n{"text": "broken" "label": 0}\n');
    await expectFailure(['train', '--data', file, '--out', join(dir, 'out')], new RegExp(`^chorus: error: ${file}:3: invalid JSON \\(.+\\)$`));
  });

  it('a JSONL label that is not a label', async () => {
    const file = join(dir, 'bad-label.jsonl');
    await writeFile(file, '{"text": "fine", "label": 1}\n{"text": "odd", "label": 5}\n');
    await expectFailure(['eval', '--model', join(dir, 'none'), '--data', file], `${join(dir, 'none', 'manifest.json')}: not found (is ${join(dir, 'none')} a Chorus model directory?)`);
    await expectFailure(train().map((a) => (a === data.jsonl ? file : a)), `${file}:2: label must be 0, 1, "negative" or "positive" (got 5)`);
  });

  it('a CSV row with the wrong number of fields', async () => {
    const file = join(dir, 'bad.csv');
    await writeFile(file, 'text,label\ngood film,1\ntoo,many,fields\n');
    await expectFailure(['train', '--data', file, '--out', join(dir, 'out')], `${file}:3: expected 2 fields as in the header, got 3`);
  });

  it('a data file of an unknown format', async () => {
    const file = join(dir, 'reviews.txt');
    await writeFile(file, 'hello\n');
    await expectFailure(['train', '--data', file, '--out', join(dir, 'out')], /^chorus: error: .*reviews\.txt: unrecognised data format/);
  });

  it('predict without --model, and with a directory that holds no model', async () => {
    await expectFailure(['predict', 'hello'], "required option '--model <dir>' not specified", { oneLine: false });
    await expectFailure(['predict', '--model', dir, 'hello'], `${join(dir, 'manifest.json')}: not found (is ${dir} a Chorus model directory?)`);
  });
});
