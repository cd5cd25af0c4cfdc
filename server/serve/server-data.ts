import type { Example } from '../../shared/data/example.ts';
import { loadDataset, trainTestSplit } from '../data/dataset.ts';

/** The server's examples: `train` is split into the demo shards, `test` evaluates every new version centrally. */
export interface ServerData {
  train: readonly Example[];
  test: readonly Example[];
}

/** Loads a dataset; a source without a train/test split (JSONL, CSV) gets a stratified 80/20 one. */
export async function loadServerData(path: string, seed: number, onProgress?: (read: number, total: number) => void): Promise<ServerData> {
  return trainTestSplit(await loadDataset(path, { onProgress }), seed);
}
