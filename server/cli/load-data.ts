import { loadDataset, type Dataset } from '../data/dataset.ts';
import { resolveOrDownloadData } from './data-or-download.ts';
import { progressBar } from './progress.ts';

/**
 * Loads the dataset named by --data / $CHORUS_DATA / the cache, with a progress bar while the archive streams in.
 * With `download`, a machine with no dataset at all downloads the official archive first (`chorus serve`).
 */
export async function loadDataWithProgress(flag: string | undefined, showProgress: boolean, download = false): Promise<Dataset> {
  const path = await resolveOrDownloadData(flag, { download, showProgress });
  let bar: ReturnType<typeof progressBar> | null = null;
  const dataset = await loadDataset(path, {
    onProgress: (read, total) => {
      bar ??= progressBar('reading', Math.max(1, Math.round(total / 1e6)), showProgress);
      bar.update(Math.round(read / 1e6), 'MB');
    },
  });
  (bar as ReturnType<typeof progressBar> | null)?.stop();
  return dataset;
}
