import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DataError } from './errors.ts';

export const IMDB_ARCHIVE_NAME = 'aclImdb_v1.tar.gz';

type Env = Record<string, string | undefined>;

/** Where downloads are kept: `$CHORUS_CACHE`, else `~/.cache/chorus`. */
export function cacheDir(env: Env = process.env): string {
  if (env.CHORUS_CACHE) return env.CHORUS_CACHE;
  return join(env.HOME || homedir(), '.cache', 'chorus');
}

/**
 * The dataset to use: `--data PATH`, else `$CHORUS_DATA`, else the downloaded archive in the cache, else the
 * team's shared copy beside the project (`../shared/data/`, so a fresh checkout runs with no flags).
 * The first of these that is given wins, and it must exist: a typo in --data should not silently fall
 * back to another dataset.
 */
export function resolveDataPath(flag?: string, env: Env = process.env): string {
  if (flag) return mustExist(flag, '--data');
  if (env.CHORUS_DATA) return mustExist(env.CHORUS_DATA, 'CHORUS_DATA');
  const cached = join(cacheDir(env), IMDB_ARCHIVE_NAME);
  if (existsSync(cached)) return cached;
  const shared = findSharedImdb(env);
  if (shared) return shared;
  throw new NoDatasetError(cached);
}

/** None of the places `resolveDataPath` looks holds a dataset; `chorus serve` may then download one (`file` is where). */
export class NoDatasetError extends DataError {
  constructor(cached: string) {
    super(cached, 'no dataset found: pass --data PATH, set CHORUS_DATA, or run `chorus data download` to fetch the IMDB archive');
  }
}

function mustExist(path: string, origin: string): string {
  if (!existsSync(path)) throw new DataError(path, `no such file or directory (from ${origin})`);
  return path;
}

// server/data/ → project root, found from this file rather than cwd so tests run from anywhere.
const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Where integration tests and benchmarks look for the real IMDB archive: `$CHORUS_IMDB`, else `<root>/../shared/data/`. */
export function sharedImdbPath(env: Env = process.env): string {
  return env.CHORUS_IMDB || join(projectRoot, '..', 'shared', 'data', IMDB_ARCHIVE_NAME);
}

/** The real IMDB archive for integration tests and benchmarks, or null when this machine has none. */
export function findSharedImdb(env: Env = process.env): string | null {
  const path = sharedImdbPath(env);
  return existsSync(path) ? path : null;
}
