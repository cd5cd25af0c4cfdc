import type { Rng } from '../../../shared/random/rng.ts';
import { cutBySizes, evenSizes, shuffledIndicesByLabel } from './split.ts';

/**
 * McMahan et al. 2017's pathological non-IID split: sort by label, cut into numClients·labelsPerClient
 * shards, and give each client labelsPerClient random shards.
 *
 * Cutting one label-sorted array would leave a shard straddling the label boundary, so the shards are cut
 * per label instead: each label gets a number of shards proportional to its share of the examples (at
 * least one, and no more than it has examples), then each label's (shuffled) examples are cut into
 * near-equal shards. Every shard is therefore single-label, and labelsPerClient = 1 gives single-label
 * clients. With binary labels and labelsPerClient = 2, a client gets two shards that may share a label,
 * as in the paper. The caller guarantees numClients·labelsPerClient ≤ n, so no shard is empty.
 */
export function partitionShards(labels: ArrayLike<0 | 1>, numClients: number, labelsPerClient: number, rng: Rng): number[][] {
  const groups = shuffledIndicesByLabel(labels, rng);
  const totalShards = numClients * labelsPerClient;
  if (totalShards === 1) return [[...groups[0], ...groups[1]]];

  const shardCounts = allocateShards(totalShards, groups[0].length, groups[1].length);
  const shards = groups.flatMap((group, label) => cutBySizes(group, evenSizes(group.length, shardCounts[label])));
  rng.shuffle(shards);
  return Array.from({ length: numClients }, (_, client) =>
    shards.slice(client * labelsPerClient, (client + 1) * labelsPerClient).flat(),
  );
}

/**
 * Shards per label, [negatives, positives]: proportional to label counts, but each present label gets at
 * least one shard and at most one per example. Feasible whenever 2 ≤ totalShards ≤ n.
 */
export function allocateShards(totalShards: number, negatives: number, positives: number): [number, number] {
  if (negatives === 0) return [0, totalShards];
  if (positives === 0) return [totalShards, 0];
  const proportional = Math.round((totalShards * positives) / (negatives + positives));
  const lowest = Math.max(1, totalShards - negatives);
  const highest = Math.min(positives, totalShards - 1);
  const positiveShards = Math.min(highest, Math.max(lowest, proportional));
  return [totalShards - positiveShards, positiveShards];
}
