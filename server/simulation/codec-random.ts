import { Rng } from '../../shared/random/rng.ts';

/**
 * Virtual client `index`'s random source for stochastic rounding (the int8 codecs), derived from the run's seed so a
 * seeded simulation encodes identically every time, and apart from the seeds of sampling and training.
 */
export function seededUniform(seed: number, index: number): () => number {
  const rng = new Rng((Math.imul(seed ^ 0xc0dec, 0x9e3779b1) + index) >>> 0);
  return () => rng.next();
}
