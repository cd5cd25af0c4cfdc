import { Rng } from '../../../shared/random/rng.ts';

/** n labels, the first half 0 and the rest 1: label-sorted like a loader reading neg/ then pos/. */
export function sortedBalancedLabels(n: number): (0 | 1)[] {
  return Array.from({ length: n }, (_, i) => (i < n / 2 ? 0 : 1));
}

/** n labels drawn independently with P(1) = positiveRate. */
export function randomLabels(n: number, positiveRate: number, seed: number): (0 | 1)[] {
  const rng = new Rng(seed);
  return Array.from({ length: n }, () => (rng.next() < positiveRate ? 1 : 0));
}
