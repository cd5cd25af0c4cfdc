import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readImdbDirectory } from './imdb-directory.ts';
import {
  LABELED_REVIEWS,
  STANFORD_FILES,
  expectDataError,
  makeTempDir,
  removeTempDir,
  writeTree,
} from './test-fixtures.ts';

let dir: string;
beforeEach(async () => {
  dir = await makeTempDir();
});
afterEach(async () => {
  await removeTempDir(dir);
});

const expectedTrain = [
  { text: 'Awful.', label: 0, rating: 1 },
  { text: 'Meh, mostly bad.', label: 0, rating: 4 },
  { text: 'Loved it.', label: 1, rating: 7 },
  { text: 'Great film, would watch again.', label: 1, rating: 9 },
];
const expectedTest = [
  { text: 'Boring.', label: 0, rating: 2 },
  { text: 'Amélie — superb ★★★★<br /><br />Again!', label: 1, rating: 10 },
];

describe('readImdbDirectory', () => {
  it('reads the aclImdb folder itself, skipping unsup, feat, urls, README and vocab', async () => {
    await writeTree(dir, STANFORD_FILES);
    const root = join(dir, 'aclImdb');
    const dataset = await readImdbDirectory(root);
    expect(dataset).toMatchObject({ path: root, format: 'imdb-directory', split: 'given' });
    expect(dataset.train).toEqual(expectedTrain);
    expect(dataset.test).toEqual(expectedTest);
  });

  it('reads a folder that contains aclImdb', async () => {
    await writeTree(dir, STANFORD_FILES);
    const dataset = await readImdbDirectory(dir);
    expect(dataset.train).toEqual(expectedTrain);
    expect(dataset.test).toEqual(expectedTest);
  });

  it('names a missing directory', async () => {
    const missing = join(dir, 'nowhere');
    await expectDataError(readImdbDirectory(missing), missing, /no such directory/);
  });

  it('rejects a folder without the IMDB layout', async () => {
    await writeFile(join(dir, 'notes.txt'), 'hello');
    await expectDataError(readImdbDirectory(dir), dir, /not an IMDB directory/);
  });

  it('rejects a tree without test reviews', async () => {
    await writeTree(dir, LABELED_REVIEWS.filter((file) => file.path.includes('/train/')));
    await expectDataError(readImdbDirectory(dir), dir, /no test reviews found/);
  });

  it('names the review file holding text that is not UTF-8', async () => {
    await writeTree(dir, [...LABELED_REVIEWS, { path: 'aclImdb/train/pos/9_8.txt', content: Uint8Array.from([0xff, 0xfe, 0x41]) }]);
    const bad = join(dir, 'aclImdb', 'train', 'pos', '9_8.txt');
    await expectDataError(readImdbDirectory(dir), bad, /review text is not valid UTF-8/);
  });

  it('names an empty review file', async () => {
    await writeTree(dir, [...LABELED_REVIEWS, { path: 'aclImdb/test/neg/4_1.txt', content: '' }]);
    const empty = join(dir, 'aclImdb', 'test', 'neg', '4_1.txt');
    await expectDataError(readImdbDirectory(dir), empty, /review text is empty/);
  });
});
