import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readImdbArchive } from './imdb-archive.ts';
import {
  LABELED_REVIEWS,
  NON_REVIEW_FILES,
  STANFORD_FILES,
  expectDataError,
  makeArchive,
  makeTempDir,
  removeTempDir,
} from './test-fixtures.ts';

let dir: string;
beforeEach(async () => {
  dir = await makeTempDir();
});
afterEach(async () => {
  await removeTempDir(dir);
});

describe('readImdbArchive', () => {
  it('reads labeled reviews with labels from folders and ratings from names, skipping everything else', async () => {
    const archive = await makeArchive(dir, STANFORD_FILES);
    const dataset = await readImdbArchive(archive);
    expect(dataset).toMatchObject({ path: archive, format: 'imdb-archive', split: 'given' });
    // Sorted by label (neg first) then numeric id: 3 before 11, 2 before 10.
    expect(dataset.train).toEqual([
      { text: 'Awful.', label: 0, rating: 1 },
      { text: 'Meh, mostly bad.', label: 0, rating: 4 },
      { text: 'Loved it.', label: 1, rating: 7 },
      { text: 'Great film, would watch again.', label: 1, rating: 9 },
    ]);
    expect(dataset.test).toEqual([
      { text: 'Boring.', label: 0, rating: 2 },
      { text: 'Amélie — superb ★★★★<br /><br />Again!', label: 1, rating: 10 },
    ]);
  });

  it('gives the same order whatever order the archive lists its entries in', async () => {
    const forward = await readImdbArchive(await makeArchive(dir, STANFORD_FILES, 'a.tar.gz'));
    const backward = await readImdbArchive(await makeArchive(dir, [...STANFORD_FILES].reverse(), 'b.tgz'));
    expect(backward.train).toEqual(forward.train);
    expect(backward.test).toEqual(forward.test);
  });

  it('reports progress up to the archive size', async () => {
    const archive = await makeArchive(dir, STANFORD_FILES);
    const size = (await readFile(archive)).length;
    const calls: [number, number][] = [];
    await readImdbArchive(archive, { onProgress: (read, total) => calls.push([read, total]) });
    expect(calls.length).toBeGreaterThan(0);
    expect(calls.at(-1)).toEqual([size, size]);
  });

  it('names a missing file', async () => {
    const missing = join(dir, 'nope.tar.gz');
    await expectDataError(readImdbArchive(missing), missing, /no such file/);
  });

  it('rejects an empty file', async () => {
    const empty = join(dir, 'empty.tar.gz');
    await writeFile(empty, '');
    await expectDataError(readImdbArchive(empty), empty, /archive is empty/);
  });

  it.each([
    ['inside the gzip header', () => 5],
    ['just past the gzip header', () => 20],
    ['halfway', (length: number) => Math.floor(length / 2)],
    ['one byte short', (length: number) => length - 1],
  ])('rejects a gzip stream truncated %s', async (_where, cutAt) => {
    const bytes = await readFile(await makeArchive(dir, STANFORD_FILES));
    const truncated = join(dir, 'truncated.tar.gz');
    await writeFile(truncated, bytes.subarray(0, cutAt(bytes.length)));
    await expectDataError(readImdbArchive(truncated), truncated, /corrupt or truncated gzip data \(zlib: unexpected end of file\)/);
  });

  it('rejects gzip data damaged in the middle', async () => {
    const bytes = Buffer.from(await readFile(await makeArchive(dir, STANFORD_FILES)));
    for (let i = 40; i < 60; i++) bytes[i] ^= 0xff;
    const damaged = join(dir, 'damaged.tar.gz');
    await writeFile(damaged, bytes);
    await expectDataError(readImdbArchive(damaged), damaged, /corrupt or truncated gzip data|not a valid tar archive/);
  });

  it('rejects a file that is gzip but not tar', async () => {
    const notTar = join(dir, 'not-tar.tar.gz');
    await writeFile(notTar, gzipSync(Buffer.from('just some text, not a tar archive\n'.repeat(40))));
    await expectDataError(readImdbArchive(notTar), notTar, /not a valid tar archive/);
  });

  it('rejects a plain tar cut off inside an entry', async () => {
    const plain = gunzipSync(await readFile(await makeArchive(dir, STANFORD_FILES)));
    const cut = join(dir, 'cut.tar.gz');
    // 512-byte header of the first entry plus part of its body, re-gzipped so only tar sees the damage.
    await writeFile(cut, gzipSync(plain.subarray(0, 520)));
    await expectDataError(readImdbArchive(cut), cut, /not a valid tar archive \(Truncated input/);
  });

  it('rejects an archive without test reviews', async () => {
    const trainOnly = LABELED_REVIEWS.filter((file) => file.path.includes('/train/'));
    const archive = await makeArchive(dir, trainOnly);
    await expectDataError(readImdbArchive(archive), archive, /no test reviews found/);
  });

  it('rejects an archive without train reviews', async () => {
    const testOnly = LABELED_REVIEWS.filter((file) => file.path.includes('/test/'));
    const archive = await makeArchive(dir, testOnly);
    await expectDataError(readImdbArchive(archive), archive, /no training reviews found/);
  });

  it('rejects an archive with no reviews at all', async () => {
    const archive = await makeArchive(dir, NON_REVIEW_FILES);
    await expectDataError(readImdbArchive(archive), archive, /no IMDB reviews found/);
  });

  it('names the entry holding text that is not UTF-8', async () => {
    const latin1 = { path: 'aclImdb/test/neg/7_3.txt', content: Uint8Array.from([0x63, 0x61, 0x66, 0xe9]) }; // "café" in Latin-1
    const archive = await makeArchive(dir, [...LABELED_REVIEWS, latin1]);
    await expectDataError(readImdbArchive(archive), archive, /aclImdb\/test\/neg\/7_3\.txt: review text is not valid UTF-8$/);
  });

  it('rejects an empty review', async () => {
    const archive = await makeArchive(dir, [...LABELED_REVIEWS, { path: 'aclImdb/train/pos/8_8.txt', content: ' \n' }]);
    await expectDataError(readImdbArchive(archive), archive, /aclImdb\/train\/pos\/8_8\.txt: review text is empty$/);
  });

  it('rejects a review file whose name carries no rating', async () => {
    const archive = await makeArchive(dir, [...LABELED_REVIEWS, { path: 'aclImdb/train/neg/review.txt', content: 'Bad.' }]);
    await expectDataError(readImdbArchive(archive), archive, /aclImdb\/train\/neg\/review\.txt: review files must be named <id>_<rating>\.txt/);
  });
});
