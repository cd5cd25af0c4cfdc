import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { downloadDisabledByEnv, resolveOrDownloadData } from './data-or-download.ts';

describe('downloadDisabledByEnv', () => {
  it('reads CHORUS_NO_DOWNLOAD as a yes/no, and refuses anything else by name', () => {
    expect(downloadDisabledByEnv({})).toBe(false);
    for (const yes of ['1', 'true', 'YES', ' yes ']) expect(downloadDisabledByEnv({ CHORUS_NO_DOWNLOAD: yes })).toBe(true);
    for (const no of ['', '0', 'false', 'no']) expect(downloadDisabledByEnv({ CHORUS_NO_DOWNLOAD: no })).toBe(false);
    expect(() => downloadDisabledByEnv({ CHORUS_NO_DOWNLOAD: 'maybe' })).toThrow('$CHORUS_NO_DOWNLOAD: CHORUS_NO_DOWNLOAD must be 1/true/yes or 0/false/no');
  });
});

describe('resolveOrDownloadData', () => {
  it('uses a dataset that is there without touching the network, and never downloads for a missing --data', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'chorus-or-download-'));
    try {
      const file = join(dir, 'mine.jsonl');
      await writeFile(file, '{"text":"x","label":1}\n');
      // An unreachable URL: any download attempt would fail the test.
      const env = { CHORUS_CACHE: join(dir, 'cache'), CHORUS_IMDB: join(dir, 'none.tar.gz'), CHORUS_DATA_URL: 'http://127.0.0.1:1/x.tar.gz' };
      expect(await resolveOrDownloadData(file, { download: true, showProgress: false }, env)).toBe(file);
      await expect(resolveOrDownloadData(join(dir, 'typo.jsonl'), { download: true, showProgress: false }, env)).rejects.toThrow('typo.jsonl: no such file or directory (from --data)');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
