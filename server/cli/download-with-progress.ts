import { downloadImdb } from '../data/download.ts';
import { progressBar, type ProgressBar } from './progress.ts';

/** The official archive's size, for the bar's total until the server sends a Content-Length. */
const IMDB_BYTES = 84_125_825;

/** Downloads the IMDB archive into `cacheDir` with a progress bar (MB) on stderr; returns the verified file. */
export async function downloadWithProgress(opts: { cacheDir: string; url: string; sha256: string; showProgress?: boolean }): Promise<string> {
  let bar: ProgressBar | null = null;
  try {
    return await downloadImdb({
      cacheDir: opts.cacheDir,
      url: opts.url,
      sha256: opts.sha256,
      onProgress: (received, total) => {
        bar ??= progressBar('download', Math.max(1, Math.round((total ?? IMDB_BYTES) / 1e6)), opts.showProgress ?? true);
        bar.update(Math.round(received / 1e6), 'MB');
      },
    });
  } finally {
    (bar as ProgressBar | null)?.stop();
  }
}
