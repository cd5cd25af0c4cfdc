import type { Rng } from '../../../shared/random/rng.ts';

/**
 * Chooses this round's clients, as in FedAvg: max(minClients, ceil(fraction × available)), never more than are
 * available. Sorted first so that the choice depends on the seed, not on connection order.
 */
export function sampleClients(available: readonly string[], fraction: number, minClients: number, rng: Rng): string[] {
  if (!(fraction > 0 && fraction <= 1)) throw new RangeError(`fraction must be in (0, 1], got ${fraction}`);
  const pool = [...available].sort();
  const k = Math.min(pool.length, Math.max(minClients, Math.ceil(fraction * pool.length)));
  return rng.shuffle(pool).slice(0, k).sort();
}
