import type { Rng } from '../../../shared/random/rng.ts';
import { cutBySizes, evenSizes, shuffledIndices } from './split.ts';

/** IID: shuffle all examples and deal them out evenly; client sizes differ by at most 1. */
export function partitionIid(numExamples: number, numClients: number, rng: Rng): number[][] {
  return cutBySizes(shuffledIndices(numExamples, rng), evenSizes(numExamples, numClients));
}
