import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadDataset } from './dataset.ts';
import { STANFORD_FILES, expectDataError, makeArchive, makeTempDir, removeTempDir, writeTree } from './test-fixtures.ts';

let dir: string;
beforeEach(async () => {
  dir = await makeTempDir();
});
afterEach(async () => {
  await removeTempDir(dir);
});

describe('loadDataset', () => {
  it('reads a .tar.gz as an IMDB archive with its given split', async () => {
    const archive = await makeArchive(dir, STANFORD_FILES);
    const dataset = await loadDataset(archive);
    expect(dataset.format).toBe('imdb-archive');
    expect(dataset.split).toBe('given');
    expect([dataset.train.length, dataset.test.length]).toEqual([4, 2]);
  });

  it('reads a .tgz as an IMDB archive', async () => {
    const archive = await makeArchive(dir, STANFORD_FILES, 'imdb.TGZ');
    expect((await loadDataset(archive)).format).toBe('imdb-archive');
  });

  it('reads a directory as an extracted IMDB tree', async () => {
    await writeTree(join(dir, 'extracted'), STANFORD_FILES);
    const dataset = await loadDataset(join(dir, 'extracted'));
    expect(dataset.format).toBe('imdb-directory');
    expect([dataset.train.length, dataset.test.length]).toEqual([4, 2]);
  });

  it('reads .jsonl and .csv files into test with no split', async () => {
    await writeFile(join(dir, 'a.jsonl'), '{"text":"Good","label":1}\n');
    await writeFile(join(dir, 'b.csv'), 'text,label\nBad,0\n');
    expect(await loadDataset(join(dir, 'a.jsonl'))).toMatchObject({ format: 'jsonl', split: 'none', train: [], test: [{ text: 'Good', label: 1 }] });
    expect(await loadDataset(join(dir, 'b.csv'))).toMatchObject({ format: 'csv', split: 'none', train: [], test: [{ text: 'Bad', label: 0 }] });
  });

  it('names a missing path', async () => {
    const missing = join(dir, 'missing.csv');
    await expectDataError(loadDataset(missing), missing, /no such file or directory/);
  });

  it('rejects a file of unknown type', async () => {
    const path = join(dir, 'reviews.txt');
    await writeFile(path, 'hello');
    await expectDataError(loadDataset(path), path, /unrecognised data format/);
  });

  it('rejects a directory that is not an IMDB tree', async () => {
    await mkdir(join(dir, 'empty'));
    await expectDataError(loadDataset(join(dir, 'empty')), join(dir, 'empty'), /not an IMDB directory/);
  });
});
