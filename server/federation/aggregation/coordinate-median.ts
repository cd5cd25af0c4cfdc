import type { AggregatorSpec } from './aggregator.ts';
import { KeptUpdatesAggregator } from './kept-updates.ts';

/**
 * Coordinate-wise median (Yin et al. 2018): each parameter's delta is the median of the clients' values for it
 * (the mean of the two middle ones for an even count). A minority of clients cannot move any coordinate past the
 * honest values around it, however large their values.
 */
export class CoordinateMedianAggregator extends KeptUpdatesAggregator {
  protected combine(deltas: readonly Float32Array[]): Float64Array {
    const k = deltas.length;
    const out = new Float64Array(this.length);
    const column = new Float64Array(k);
    const mid = k >> 1;
    for (let i = 0; i < out.length; i++) {
      for (let j = 0; j < k; j++) column[j] = deltas[j][i];
      column.sort();
      out[i] = k % 2 === 1 ? column[mid] : (column[mid - 1] + column[mid]) / 2;
    }
    return out;
  }
}

export const coordinateMedian: AggregatorSpec = Object.freeze({
  name: 'median',
  options: Object.freeze({}),
  create: (length: number) => new CoordinateMedianAggregator(length),
});
