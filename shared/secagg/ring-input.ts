import { ringScale } from './quantize.ts';

/**
 * What a secure round sums in Z_2^32, and why that sum cannot wrap. Two kinds of input share the one protocol:
 * - `fixed-point`: a training round's update, clipped to L2 norm `clipNorm` and quantized (quantize.ts), read back
 *   as a signed sum;
 * - `counts`: the statistics round's document counts (per hash bucket, in how many of the client's documents it
 *   occurs, and the number of documents as one more word). Integers need no scaling; every word of one client's
 *   input is at most `maxDocs` (a bucket occurs in at most all of its documents), which the client enforces by
 *   counting at most `maxDocs` documents. With n·maxDocs ≤ 2^32 − 1 the unsigned sum of a cohort of n is exact.
 */
export type RingInput = { kind: 'fixed-point'; clipNorm: number } | { kind: 'counts'; maxDocs: number };

/** The largest word of the ring, read unsigned. */
export const RING_MAX = 2 ** 32 - 1;

/** The per-client document cap that lets `cohortSize` clients' counts sum without wrapping. */
export function countCap(cohortSize: number): number {
  if (!Number.isInteger(cohortSize) || cohortSize < 1) throw new Error(`the cohort size must be a positive integer, not ${cohortSize}`);
  return Math.floor(RING_MAX / cohortSize);
}

/** Throws when the sum of `cohortSize` such inputs could wrap (or the input's parameters make no sense). */
export function checkRingInput(input: RingInput, cohortSize: number): void {
  if (input.kind === 'fixed-point') {
    ringScale(input.clipNorm, cohortSize);
    return;
  }
  if (!Number.isInteger(input.maxDocs) || input.maxDocs < 1) throw new Error(`the document cap must be a positive integer, not ${input.maxDocs}`);
  if (input.maxDocs > countCap(cohortSize)) {
    throw new Error(`a cap of ${input.maxDocs} documents per client lets the counts of ${cohortSize} clients wrap the 32-bit ring (at most ${countCap(cohortSize)})`);
  }
}

/**
 * A client's document counts as the words it masks: one per bucket, then the number of documents. Refused (an
 * Error) when a word exceeds `maxDocs` or a bucket count exceeds the document count: such an input could make the
 * cohort's sum wrap or lie about the documents.
 */
export function countWords(counts: ArrayLike<number>, numDocs: number, maxDocs: number): Uint32Array {
  if (!Number.isInteger(numDocs) || numDocs < 0 || numDocs > maxDocs) throw new Error(`${numDocs} documents: the round allows whole numbers up to ${maxDocs}`);
  const words = new Uint32Array(counts.length + 1);
  for (let i = 0; i < counts.length; i++) {
    const c = counts[i];
    if (!Number.isInteger(c) || c < 0 || c > numDocs) throw new Error(`bucket ${i} occurs in ${c} documents, not a whole number from 0 to ${numDocs}`);
    words[i] = c;
  }
  words[counts.length] = numDocs;
  return words;
}

/** The unmasked sum of count inputs: per-bucket document frequencies and the total number of documents. */
export function countsOfSum(sum: Uint32Array): { counts: Float64Array; numDocs: number } {
  if (sum.length < 1) throw new Error('a count sum has at least the document-count word');
  const buckets = sum.length - 1;
  return { counts: Float64Array.from(sum.subarray(0, buckets)), numDocs: sum[buckets] };
}
