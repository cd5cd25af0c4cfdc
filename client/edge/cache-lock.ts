import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The cache directory is locked by another live client process. */
export class CacheDirHeldError extends Error {
  constructor(
    readonly dir: string,
    readonly holder: number,
  ) {
    super(`another chorus client (pid ${holder}) is using the cache directory ${dir}; give each client its own --cache`);
    this.name = 'CacheDirHeldError';
  }
}

/**
 * One edge client per cache directory: two processes sharing one would also share one clientId, and the server
 * would take them for a single client. Returns the release function; throws when a live process holds the lock.
 */
export function lockCacheDir(dir: string): () => void {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'client.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, String(process.pid), { flag: 'wx' });
      return () => rmSync(file, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number(readFileSync(file, 'utf8').trim());
      if (Number.isInteger(holder) && holder > 0 && isAlive(holder)) throw new CacheDirHeldError(dir, holder);
      // A stale lock from a client that died: take it over.
      rmSync(file, { force: true });
    }
  }
  throw new Error(`could not lock the cache directory ${dir}`);
}

/** More clients than this on one machine without --cache is surely a runaway loop, not a person's demo. */
const MAX_DEFAULT_DIRS = 256;

/**
 * Locks `dir`, or, when live clients hold it, the first free of `dir-2`, `dir-3`, …: several clients on one machine
 * need no `--cache` each. The numbering is stable, so the same few clients started again mostly find their own
 * directory (and clientId and shard) again.
 */
export function lockFirstFreeCacheDir(dir: string): { dir: string; release: () => void; held: CacheDirHeldError | null } {
  let first: CacheDirHeldError | null = null;
  for (let n = 1; n <= MAX_DEFAULT_DIRS; n++) {
    const candidate = n === 1 ? dir : `${dir}-${n}`;
    try {
      return { dir: candidate, release: lockCacheDir(candidate), held: first };
    } catch (error) {
      if (!(error instanceof CacheDirHeldError)) throw error;
      first ??= error;
    }
  }
  throw new Error(`${dir} and the ${MAX_DEFAULT_DIRS - 1} directories after it are all used by running chorus clients; pass --cache`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
