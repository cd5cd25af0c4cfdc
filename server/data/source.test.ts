import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DataError } from './errors.ts';
import { cacheDir, findSharedImdb, resolveDataPath, sharedImdbPath } from './source.ts';
import { makeTempDir, removeTempDir } from './test-fixtures.ts';

let dir: string;
beforeEach(async () => {
  dir = await makeTempDir();
});
afterEach(async () => {
  await removeTempDir(dir);
});

describe('cacheDir', () => {
  it('uses CHORUS_CACHE, else ~/.cache/chorus', () => {
    expect(cacheDir({ CHORUS_CACHE: '/var/cache/x', HOME: '/home/a' })).toBe('/var/cache/x');
    expect(cacheDir({ HOME: '/home/a' })).toBe('/home/a/.cache/chorus');
  });
});

describe('resolveDataPath', () => {
  it('prefers --data over CHORUS_DATA over the cache', async () => {
    const flag = join(dir, 'flag.csv');
    const envData = join(dir, 'env.jsonl');
    const cache = join(dir, 'cache');
    await mkdir(cache);
    for (const path of [flag, envData, join(cache, 'aclImdb_v1.tar.gz')]) await writeFile(path, 'x');
    const env = { CHORUS_DATA: envData, CHORUS_CACHE: cache };
    expect(resolveDataPath(flag, env)).toBe(flag);
    expect(resolveDataPath(undefined, env)).toBe(envData);
    expect(resolveDataPath(undefined, { CHORUS_CACHE: cache })).toBe(join(cache, 'aclImdb_v1.tar.gz'));
  });

  it('falls back to the shared copy beside the project when there is no cache', async () => {
    const shared = join(dir, 'shared.tar.gz');
    await writeFile(shared, 'x');
    expect(resolveDataPath(undefined, { CHORUS_CACHE: join(dir, 'empty'), CHORUS_IMDB: shared })).toBe(shared);
  });

  it('names a --data path that does not exist instead of falling back', () => {
    const missing = join(dir, 'typo.csv');
    expect(() => resolveDataPath(missing, { CHORUS_CACHE: dir })).toThrow(`${missing}: no such file or directory (from --data)`);
  });

  it('names a CHORUS_DATA path that does not exist', () => {
    const missing = join(dir, 'gone');
    expect(() => resolveDataPath(undefined, { CHORUS_DATA: missing })).toThrow(/gone: no such file or directory \(from CHORUS_DATA\)/);
  });

  it('says how to get data when nothing is there', () => {
    let caught: unknown;
    try {
      resolveDataPath(undefined, { CHORUS_CACHE: dir, CHORUS_IMDB: join(dir, 'no-shared-copy.tar.gz') });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(DataError);
    const message = (caught as DataError).message;
    expect(message).toContain(join(dir, 'aclImdb_v1.tar.gz'));
    expect(message).toContain('--data');
    expect(message).toContain('CHORUS_DATA');
    expect(message).toContain('chorus data download');
  });
});

describe('findSharedImdb', () => {
  it('uses CHORUS_IMDB when set and the file exists', async () => {
    const archive = join(dir, 'imdb.tar.gz');
    await writeFile(archive, 'x');
    expect(findSharedImdb({ CHORUS_IMDB: archive })).toBe(archive);
    expect(findSharedImdb({ CHORUS_IMDB: join(dir, 'absent.tar.gz') })).toBeNull();
  });

  it('otherwise looks in shared/data beside the project root, whatever the working directory', () => {
    const projectRoot = join(import.meta.dirname, '..', '..');
    expect(sharedImdbPath({})).toBe(join(projectRoot, '..', 'shared', 'data', 'aclImdb_v1.tar.gz'));
  });
});
