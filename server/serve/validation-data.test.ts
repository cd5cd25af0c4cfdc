import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { MAX_VALIDATION_EXAMPLES, readValidationSet } from './validation-data.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'chorus-validation-'));
});

const line = (text: string, label: number | string) => JSON.stringify({ text, label });

async function file(name: string, content: string): Promise<string> {
  const at = path.join(dir, name);
  await writeFile(at, content);
  return at;
}

describe('--validation-data', () => {
  it('reads labelled reviews from .jsonl or .csv', async () => {
    expect((await readValidationSet(await file('ok.jsonl', [line('a fine film', 1), line('dull', 'negative'), line('great', 'pos')].join('\n')))).size).toBe(3);
    expect((await readValidationSet(await file('ok.csv', 'text,label\n"a fine film",1\ndull,0\n'))).size).toBe(2);
  });

  it('refuses a bad record with its line, a set of one label, a missing file, and more than the limit', async () => {
    await expect(readValidationSet(await file('bad.jsonl', [line('a fine film', 1), line('dull', 7)].join('\n')))).rejects.toThrow(/--validation-data: .*bad\.jsonl:2: label/);
    await expect(readValidationSet(await file('one.jsonl', [line('a fine film', 1), line('great', 1)].join('\n')))).rejects.toThrow(/--validation-data: .*both labels/);
    await expect(readValidationSet(path.join(dir, 'missing.jsonl'))).rejects.toThrow(/--validation-data: .*no such file/);
    const many = Array.from({ length: MAX_VALIDATION_EXAMPLES + 1 }, (_, i) => line(`review ${i}`, i % 2)).join('\n');
    await expect(readValidationSet(await file('many.jsonl', many))).rejects.toThrow(/10001 reviews; the filter takes at most 10000/);
  });
});
