import type { Rng } from '../../../shared/random/rng.ts';
import { countsFromProportions, cutBySizes, drawDirichlet, shuffledIndices } from './split.ts';

/**
 * Quantity skew: client sizes follow Dirichlet(alpha) proportions while labels stay IID (each client gets
 * a random subset). To guarantee the minimum without re-drawing, every client is first reserved
 * `minPerClient` examples and only the remaining n − k·min are split by the Dirichlet proportions, so sizes
 * are min + Dir(alpha)·(n − k·min). Small alpha → a few very large clients and many at the minimum.
 */
export function partitionQuantity(
  numExamples: number,
  numClients: number,
  alpha: number,
  minPerClient: number,
  rng: Rng,
): number[][] {
  const remainder = numExamples - numClients * minPerClient;
  const extra = countsFromProportions(remainder, drawDirichlet(rng, alpha, numClients));
  const sizes = extra.map((count) => count + minPerClient);
  return cutBySizes(shuffledIndices(numExamples, rng), sizes);
}
