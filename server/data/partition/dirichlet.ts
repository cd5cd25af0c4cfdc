import type { Rng } from '../../../shared/random/rng.ts';
import { countsFromProportions, drawDirichlet, shuffledIndicesByLabel } from './split.ts';

/** Re-draws before falling back to rebalancing; enough for moderate alpha, cheap (O(n) each) otherwise. */
export const maxDirichletAttempts = 100;

/**
 * Label skew (the per-label Dirichlet split of Yurochkin et al. 2019 / NIID-Bench, the usual reading of the
 * "Dirichlet non-IID" setting Hsu et al. 2019 popularised): for each label, a proportion vector
 * p ~ Dirichlet(alpha) over clients decides what share of that label's examples each client gets.
 * Small alpha → most clients hold mostly one label; large alpha → close to IID.
 *
 * Minimum size: a draw in which some client ends up with fewer than `minPerClient` examples is rejected
 * and re-drawn (as NIID-Bench does), which conditions the Dirichlet on the minimum without distorting it.
 * With very small alpha and many clients almost every draw fails, so after `maxDirichletAttempts` the last
 * draw is rebalanced instead: each short client takes random examples from the currently largest client
 * (whose labels are themselves skewed), which keeps skew high while guaranteeing nobody is empty.
 */
export function partitionDirichlet(
  labels: ArrayLike<0 | 1>,
  numClients: number,
  alpha: number,
  minPerClient: number,
  rng: Rng,
): number[][] {
  let parts: number[][] = [];
  for (let attempt = 0; attempt < maxDirichletAttempts; attempt++) {
    parts = drawLabelSkew(labels, numClients, alpha, rng);
    if (parts.every((part) => part.length >= minPerClient)) return parts;
  }
  return rebalanceToMinimum(parts, minPerClient, rng);
}

function drawLabelSkew(labels: ArrayLike<0 | 1>, numClients: number, alpha: number, rng: Rng): number[][] {
  const parts: number[][] = Array.from({ length: numClients }, () => []);
  for (const group of shuffledIndicesByLabel(labels, rng)) {
    const counts = countsFromProportions(group.length, drawDirichlet(rng, alpha, numClients));
    let start = 0;
    counts.forEach((count, client) => {
      for (let i = start; i < start + count; i++) parts[client].push(group[i]);
      start += count;
    });
  }
  return parts;
}

/**
 * Moves random examples from the largest client to each client below `minPerClient`. Terminates because
 * the caller guarantees n ≥ k·min: while someone is short, the largest client must be above the minimum.
 * Mutates and returns `parts`.
 */
export function rebalanceToMinimum(parts: number[][], minPerClient: number, rng: Rng): number[][] {
  for (const short of parts) {
    while (short.length < minPerClient) {
      const donor = parts.reduce((largest, part) => (part.length > largest.length ? part : largest));
      const take = Math.min(minPerClient - short.length, donor.length - minPerClient);
      if (take <= 0) throw new Error('Internal error: cannot rebalance, fewer examples than numClients · minPerClient');
      for (let t = 0; t < take; t++) {
        const position = rng.int(donor.length);
        short.push(donor[position]);
        donor[position] = donor[donor.length - 1];
        donor.pop();
      }
    }
  }
  return parts;
}
