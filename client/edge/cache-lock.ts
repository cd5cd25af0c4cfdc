import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

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
      if (Number.isInteger(holder) && holder > 0 && isAlive(holder)) {
        throw new Error(`another chorus client (pid ${holder}) is using the cache directory ${dir}; give each client its own --cache`);
      }
      // A stale lock from a client that died: take it over.
      rmSync(file, { force: true });
    }
  }
  throw new Error(`could not lock the cache directory ${dir}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
