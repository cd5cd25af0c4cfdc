import { z } from 'zod';
import { downloadSource } from '../data/download-source.ts';
import { DataError } from '../data/errors.ts';
import { cacheDir, NoDatasetError, resolveDataPath } from '../data/source.ts';
import { downloadWithProgress } from './download-with-progress.ts';
import { status } from './progress.ts';

type Env = Record<string, string | undefined>;

/** `CHORUS_NO_DOWNLOAD=1` (or true/yes) keeps `chorus serve` from downloading: for CI and machines without network. */
const noDownloadSchema = z
  .enum(['', '0', '1', 'false', 'true', 'no', 'yes'], { error: 'CHORUS_NO_DOWNLOAD must be 1/true/yes or 0/false/no' })
  .transform((v) => ['1', 'true', 'yes'].includes(v));

export function downloadDisabledByEnv(env: Env = process.env): boolean {
  const parsed = noDownloadSchema.safeParse((env.CHORUS_NO_DOWNLOAD ?? '').trim().toLowerCase());
  if (!parsed.success) throw new DataError('$CHORUS_NO_DOWNLOAD', parsed.error.issues[0]?.message ?? 'invalid');
  return parsed.data;
}

/**
 * The dataset path as `resolveDataPath` finds it; when it finds none and downloading is allowed, fetches the official
 * archive into the cache first (progress bar, checksum, resume), so `npm start` works on a fresh machine. A failed
 * download ends with today's "no dataset found" advice plus why the download failed.
 */
export async function resolveOrDownloadData(flag: string | undefined, opts: { download: boolean; showProgress: boolean }, env: Env = process.env): Promise<string> {
  try {
    return resolveDataPath(flag, env);
  } catch (error) {
    if (!(error instanceof NoDatasetError) || !opts.download || downloadDisabledByEnv(env)) throw error;
    const source = downloadSource(env);
    const dir = cacheDir(env);
    status(`no dataset found: downloading the IMDB archive from ${source.url} into ${dir} (--no-download or CHORUS_NO_DOWNLOAD=1 turns this off)`);
    try {
      return await downloadWithProgress({ cacheDir: dir, ...source, showProgress: opts.showProgress });
    } catch (failure) {
      if (!(failure instanceof DataError)) throw failure;
      throw new DataError(error.file, `${error.detail} (the automatic download failed: ${failure.message})`, { cause: failure });
    }
  }
}
