import { z } from 'zod';
import type { AggregatorSpec } from './aggregator.ts';
import { KeptUpdatesAggregator } from './kept-updates.ts';

export const trimBetaSchema = z.number().min(0).lt(0.5);

/**
 * Coordinate-wise trimmed mean (Yin et al. 2018): for each parameter, drop the ⌊β·K⌋ smallest and ⌊β·K⌋ largest
 * client values and average the rest. Survives up to ⌊β·K⌋ attackers per side; β = 0 is the unweighted mean.
 */
export class TrimmedMeanAggregator extends KeptUpdatesAggregator {
  constructor(
    length: number,
    readonly beta: number,
  ) {
    super(length);
  }

  protected combine(deltas: readonly Float32Array[]): Float64Array {
    const k = deltas.length;
    const trim = Math.floor(this.beta * k);
    const kept = k - 2 * trim; // β < 0.5 keeps at least one
    const out = new Float64Array(this.length);
    const column = new Float64Array(k);
    for (let i = 0; i < out.length; i++) {
      for (let j = 0; j < k; j++) column[j] = deltas[j][i];
      column.sort();
      let sum = 0;
      for (let j = trim; j < k - trim; j++) sum += column[j];
      out[i] = sum / kept;
    }
    return out;
  }
}

export function trimmedMean(beta: number): AggregatorSpec {
  const parsed = trimBetaSchema.safeParse(beta);
  if (!parsed.success) throw new Error(`trimmed mean needs β in [0, 0.5), got ${String(beta)}`);
  return Object.freeze({ name: 'trimmed-mean', options: Object.freeze({ trimBeta: beta }), create: (length: number) => new TrimmedMeanAggregator(length, beta) });
}
