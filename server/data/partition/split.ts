import type { Rng } from '../../../shared/random/rng.ts';

/**
 * One draw from a symmetric Dirichlet(alpha) over k outcomes, via normalised Gamma(alpha) samples.
 * For tiny alpha every Gamma sample can underflow to 0; the limit of Dirichlet(alpha) as alpha → 0 is a
 * one-hot vector on a uniformly random outcome, so that is what we return then.
 */
export function drawDirichlet(rng: Rng, alpha: number, k: number): number[] {
  const samples = Array.from({ length: k }, () => rng.gamma(alpha));
  const sum = samples.reduce((a, b) => a + b, 0);
  if (!(sum > 0) || !Number.isFinite(sum)) {
    const winner = rng.int(k);
    return samples.map((_, i) => (i === winner ? 1 : 0));
  }
  return samples.map((s) => s / sum);
}

/**
 * Integer counts summing exactly to `total`, each within 1 of proportion·total: cut points are the rounded
 * cumulative proportions (the last one forced to `total`, absorbing floating-point drift).
 */
export function countsFromProportions(total: number, proportions: readonly number[]): number[] {
  const counts: number[] = [];
  let cumulative = 0;
  let previousCut = 0;
  proportions.forEach((p, i) => {
    cumulative += p;
    const cut = i === proportions.length - 1 ? total : Math.min(total, Math.round(cumulative * total));
    counts.push(Math.max(0, cut - previousCut));
    previousCut = Math.max(previousCut, cut);
  });
  return counts;
}

/** Sizes for dealing `total` items evenly over k parts: the first total mod k parts get one extra. */
export function evenSizes(total: number, k: number): number[] {
  const base = Math.floor(total / k);
  const extra = total % k;
  return Array.from({ length: k }, (_, i) => base + (i < extra ? 1 : 0));
}

/** Consecutive slices of `items` with the given sizes (which must sum to items.length). */
export function cutBySizes<T>(items: readonly T[], sizes: readonly number[]): T[][] {
  const parts: T[][] = [];
  let start = 0;
  for (const size of sizes) {
    parts.push(items.slice(start, start + size));
    start += size;
  }
  if (start !== items.length) throw new Error(`Internal error: sizes sum to ${start}, expected ${items.length}`);
  return parts;
}

/** Example indices grouped by label, each group in random order: [negatives, positives]. */
export function shuffledIndicesByLabel(labels: ArrayLike<0 | 1>, rng: Rng): [number[], number[]] {
  const groups: [number[], number[]] = [[], []];
  for (let i = 0; i < labels.length; i++) groups[labels[i]].push(i);
  rng.shuffle(groups[0]);
  rng.shuffle(groups[1]);
  return groups;
}

/** All indices 0..n−1 in random order. */
export function shuffledIndices(n: number, rng: Rng): number[] {
  return rng.shuffle(Array.from({ length: n }, (_, i) => i));
}
