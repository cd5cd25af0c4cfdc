import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CacheDirHeldError, lockCacheDir, lockFirstFreeCacheDir } from './cache-lock.ts';

const temp = mkdtempSync(join(tmpdir(), 'chorus-cache-lock-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

// This process counts as a live holder, so locks it holds stand in for other running clients.
describe('lockFirstFreeCacheDir', () => {
  it('takes the directory itself when it is free', () => {
    const base = join(temp, 'free');
    const locked = lockFirstFreeCacheDir(base);
    expect(locked).toMatchObject({ dir: base, held: null });
    expect(existsSync(join(base, 'client.lock'))).toBe(true);
    locked.release();
    expect(existsSync(join(base, 'client.lock'))).toBe(false);
  });

  it('moves to the first free numbered sibling while live clients hold the default, and says who holds it', () => {
    const base = join(temp, 'client');
    const first = lockFirstFreeCacheDir(base);
    const second = lockFirstFreeCacheDir(base);
    const third = lockFirstFreeCacheDir(base);
    expect([first.dir, second.dir, third.dir]).toEqual([base, `${base}-2`, `${base}-3`]);
    expect(second.held).toBeInstanceOf(CacheDirHeldError);
    expect(second.held).toMatchObject({ dir: base, holder: process.pid });
    // A freed directory is reused before a new one is made.
    second.release();
    const again = lockFirstFreeCacheDir(base);
    expect(again.dir).toBe(`${base}-2`);
    for (const l of [first, third, again]) l.release();
  });

  it('leaves lockCacheDir (an explicit --cache) refusing a held directory', () => {
    const dir = join(temp, 'pinned');
    const release = lockCacheDir(dir);
    expect(() => lockCacheDir(dir)).toThrow(CacheDirHeldError);
    release();
  });
});
