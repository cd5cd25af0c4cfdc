import type { Example } from '../../shared/data/example.ts';
import { holdoutSplit, loadDataset } from '../data/dataset.ts';

/** The server's examples: `train` is split into the demo shards, `test` evaluates every new version centrally. */
export interface ServerData {
  train: readonly Example[];
  test: readonly Example[];
}

/** Loads a dataset; a source without a train/test split (JSONL, CSV) gets a stratified 80/20 one. */
export async function loadServerData(path: string, seed: number, onProgress?: (read: number, total: number) => void): Promise<ServerData> {
  const dataset = await loadDataset(path, { onProgress });
  return splitServerData(dataset, seed);
}

export function splitServerData(dataset: { train: Example[]; test: Example[]; split: 'given' | 'none' }, seed: number): ServerData {
  if (dataset.split === 'given') return { train: dataset.train, test: dataset.test };
  return holdoutSplit(dataset.test, 0.2, seed);
}
