import { stat } from 'node:fs/promises';
import type { Example } from '../../shared/data/example.ts';
import { DataError } from './errors.ts';
import { readImdbArchive } from './imdb-archive.ts';
import { readImdbDirectory } from './imdb-directory.ts';
import { readJsonl } from './jsonl.ts';
import { readCsv } from './csv.ts';

import { holdoutSplit } from './holdout-split.ts';

export { holdoutSplit };

export type DatasetFormat = 'imdb-archive' | 'imdb-directory' | 'jsonl' | 'csv';

/**
 * Examples loaded from one source. IMDB sources come with Stanford's train/test split (`split: 'given'`);
 * single-file sources have none (`split: 'none'`), so `train` is empty and every example is in `test`
 * — use `holdoutSplit` to carve a training set out of them.
 */
export interface Dataset {
  path: string;
  format: DatasetFormat;
  train: Example[];
  test: Example[];
  split: 'given' | 'none';
}

export interface LoadOptions {
  /** Called as the source is read; only the archive reader reports progress (it is the slow one). */
  onProgress?(bytesRead: number, totalBytes: number): void;
}

/** Loads a dataset, choosing the reader from what `path` is: a directory, `.tar.gz`/`.tgz`, `.jsonl` or `.csv`. */
export async function loadDataset(path: string, opts: LoadOptions = {}): Promise<Dataset> {
  const format = await detectFormat(path);
  switch (format) {
    case 'imdb-archive':
      return readImdbArchive(path, opts);
    case 'imdb-directory':
      return readImdbDirectory(path);
    case 'jsonl':
      return readJsonl(path);
    case 'csv':
      return readCsv(path);
  }
}

export async function detectFormat(path: string): Promise<DatasetFormat> {
  let isDirectory: boolean;
  try {
    isDirectory = (await stat(path)).isDirectory();
  } catch (error) {
    throw new DataError(path, 'no such file or directory', { cause: error });
  }
  if (isDirectory) return 'imdb-directory';
  const lower = path.toLowerCase();
  if (lower.endsWith('.tar.gz') || lower.endsWith('.tgz')) return 'imdb-archive';
  if (lower.endsWith('.jsonl') || lower.endsWith('.ndjson')) return 'jsonl';
  if (lower.endsWith('.csv')) return 'csv';
  throw new DataError(
    path,
    'unrecognised data format: expected an IMDB directory, a .tar.gz/.tgz archive, a .jsonl or a .csv file',
  );
}

/**
 * Train and test examples of a dataset: the source's own split, or a stratified 80/20 holdout for single-file
 * sources. The one rule every caller (train, serve, simulate) uses, so they all split a JSONL file the same way.
 */
export function trainTestSplit(dataset: Pick<Dataset, 'train' | 'test' | 'split'>, seed: number): { train: Example[]; test: Example[] } {
  if (dataset.split === 'given') return { train: dataset.train, test: dataset.test };
  return holdoutSplit(dataset.test, 0.2, seed);
}
