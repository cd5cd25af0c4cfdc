import type { Rng } from '../../../shared/random/rng.ts';

/** Draws of an empty cohort before giving up: at (1 − q)^N per draw, reaching this means q or N is absurdly small. */
const maxDraws = 1000;

/**
 * Poisson sampling, the sampling the privacy accountant assumes (shared/privacy/rdp.ts): each available client is
 * in the round independently with probability `rate`, so the cohort's size varies from round to round (mean
 * rate × N). Sorted first so that the choice depends on the seed, not on connection order.
 *
 * An empty draw is drawn again: a round needs a client. That conditions the sample on being non-empty, which
 * the accountant does not model; it happens with probability (1 − q)^N per round (3·10⁻⁵ at q = 0.1 and 100
 * clients, but 1/8 at q = 0.5 and 3 clients), as docs/privacy.md says.
 */
export function poissonSample(available: readonly string[], rate: number, rng: Rng): string[] {
  if (!(rate > 0 && rate <= 1)) throw new RangeError(`the sampling rate must be in (0, 1], got ${rate}`);
  const pool = [...available].sort();
  if (pool.length === 0) return [];
  for (let draw = 0; draw < maxDraws; draw++) {
    const chosen = pool.filter(() => rng.next() < rate);
    if (chosen.length > 0) return chosen;
  }
  throw new Error(`Poisson sampling at rate ${rate} drew no client out of ${pool.length} in ${maxDraws} tries`);
}
