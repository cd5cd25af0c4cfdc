import type { Rng } from '../../../shared/random/rng.ts';
import { clientsPerRound } from './clients-per-round.ts';

/**
 * Chooses this round's clients, as many as clientsPerRound says. Sorted first so that the choice depends on the
 * seed, not on connection order.
 */
export function sampleClients(available: readonly string[], fraction: number, minClients: number, rng: Rng): string[] {
  const pool = [...available].sort();
  const k = clientsPerRound(pool.length, fraction, minClients);
  return rng.shuffle(pool).slice(0, k).sort();
}
