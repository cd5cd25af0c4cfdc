/**
 * Small synthetic datasets in Stanford's aclImdb layout, for tests only. Nothing here reads the real
 * archive: every file is generated in a temporary folder.
 */
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import * as tar from 'tar';
import { expect } from 'vitest';
import { DataError } from './errors.ts';

export interface FixtureFile {
  /** Path below the folder that holds `aclImdb`, e.g. `aclImdb/train/pos/10_9.txt`. */
  path: string;
  content: string | Uint8Array;
}

/** Labeled reviews with ids chosen so numeric and lexicographic order differ (3 < 11, but "11" < "3"). */
export const LABELED_REVIEWS: FixtureFile[] = [
  { path: 'aclImdb/train/pos/10_9.txt', content: 'Great film, would watch again.' },
  { path: 'aclImdb/train/pos/2_7.txt', content: 'Loved it.' },
  { path: 'aclImdb/train/neg/11_4.txt', content: 'Meh, mostly bad.' },
  { path: 'aclImdb/train/neg/3_1.txt', content: 'Awful.' },
  { path: 'aclImdb/test/pos/0_10.txt', content: 'Amélie — superb ★★★★<br /><br />Again!' },
  { path: 'aclImdb/test/neg/5_2.txt', content: 'Boring.' },
];

/** Files Stanford ships that are not labeled reviews and must be skipped. */
export const NON_REVIEW_FILES: FixtureFile[] = [
  { path: 'aclImdb/README', content: 'Large Movie Review Dataset v1.0' },
  { path: 'aclImdb/imdb.vocab', content: 'the\nand\na\n' },
  { path: 'aclImdb/imdbEr.txt', content: '0.0490972\n' },
  { path: 'aclImdb/train/unsup/0_0.txt', content: 'Unlabeled review.' },
  { path: 'aclImdb/train/labeledBow.feat', content: '9 0:9 1:1\n' },
  { path: 'aclImdb/train/urls_pos.txt', content: 'http://www.imdb.com/title/tt0453418/usercomments\n' },
  { path: 'aclImdb/test/urls_neg.txt', content: 'http://www.imdb.com/title/tt0064354/usercomments\n' },
];

export const STANFORD_FILES: FixtureFile[] = [...NON_REVIEW_FILES, ...LABELED_REVIEWS];

export async function makeTempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'chorus-data-'));
}

export async function removeTempDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

/** Writes the files below `root` and returns the paths written, in the given order. */
export async function writeTree(root: string, files: FixtureFile[]): Promise<string[]> {
  for (const file of files) {
    const target = join(root, file.path);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, file.content);
  }
  return files.map((file) => file.path);
}

/**
 * Packs the files into `<dir>/<name>` as a gzipped tar, entries in exactly the given order (tar then
 * lists only those files, without directory entries, like the real archive).
 */
export async function makeArchive(dir: string, files: FixtureFile[], name = 'aclImdb_v1.tar.gz'): Promise<string> {
  const staging = join(dir, `staging-${name}`);
  const paths = await writeTree(staging, files);
  const archive = join(dir, name);
  await tar.c({ gzip: true, cwd: staging, file: archive, portable: true }, paths);
  return archive;
}

/** Awaits a rejection and checks it is a DataError naming `file` (and `line`, when given) with a matching message. */
export async function expectDataError(
  promise: Promise<unknown>,
  file: string,
  message: RegExp,
  line?: number,
): Promise<DataError> {
  const error = await promise.then(
    () => {
      throw new Error('expected a DataError');
    },
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(DataError);
  const dataError = error as DataError;
  expect(dataError.file).toBe(file);
  expect(dataError.line).toBe(line);
  expect(dataError.message.startsWith(line === undefined ? `${file}: ` : `${file}:${line}: `)).toBe(true);
  expect(dataError.message).toMatch(message);
  return dataError;
}
