import { z } from 'zod';
import type { AggregatorSpec } from './aggregator.ts';
import { KeptUpdatesAggregator } from './kept-updates.ts';

export const krumOptionsSchema = z.strictObject({
  /** Attackers tolerated. */
  f: z.number().int().min(0).max(100_000),
  /** Updates averaged (1: Krum); unset: K − f. */
  m: z.number().int().min(1).max(100_000).optional(),
});

/**
 * Multi-Krum (Blanchard et al. 2017; El Mhamdi et al. 2018): each update is scored by the sum of its squared
 * distances to its K − f − 2 nearest other updates; the m lowest-scored are averaged (unweighted). An update far
 * from the honest cluster scores high and is left out. With fewer than f + 3 updates the neighbour count is
 * clamped to at least 1 (the guarantee needs K > 2f + 2; a small round still aggregates rather than failing).
 */
export class MultiKrumAggregator extends KeptUpdatesAggregator {
  constructor(
    length: number,
    readonly f: number,
    readonly m: number | undefined,
  ) {
    super(length);
  }

  /** Indices of the selected updates, lowest score first (ties: lower index first). */
  selected(deltas: readonly Float32Array[] = this.deltas): number[] {
    const k = deltas.length;
    const distances = Array.from({ length: k }, () => new Float64Array(k));
    for (let a = 0; a < k; a++) {
      for (let b = a + 1; b < k; b++) {
        let sum = 0;
        for (let i = 0; i < this.length; i++) {
          const d = deltas[a][i] - deltas[b][i];
          sum += d * d;
        }
        distances[a][b] = sum;
        distances[b][a] = sum;
      }
    }
    const neighbours = Math.min(k - 1, Math.max(1, k - this.f - 2));
    const scores = distances.map((row, a) => {
      const others = [...row].filter((_, b) => b !== a).sort((x, y) => x - y);
      return others.slice(0, neighbours).reduce((s, d) => s + d, 0);
    });
    const m = Math.min(k, this.m ?? Math.max(1, k - this.f));
    return scores
      .map((score, index) => ({ score, index }))
      .sort((x, y) => x.score - y.score || x.index - y.index)
      .slice(0, m)
      .map((s) => s.index);
  }

  protected combine(deltas: readonly Float32Array[]): Float64Array {
    const chosen = this.selected(deltas);
    const out = new Float64Array(this.length);
    for (const index of chosen) for (let i = 0; i < out.length; i++) out[i] += deltas[index][i];
    for (let i = 0; i < out.length; i++) out[i] /= chosen.length;
    return out;
  }
}

export function multiKrum(options: z.input<typeof krumOptionsSchema>): AggregatorSpec {
  const parsed = krumOptionsSchema.safeParse(options);
  if (!parsed.success) throw new Error(`multi-Krum: ${z.prettifyError(parsed.error)}`);
  const { f, m } = parsed.data;
  return Object.freeze({
    name: 'krum',
    options: Object.freeze({ krumF: f, ...(m !== undefined ? { krumM: m } : {}) }),
    create: (length: number) => new MultiKrumAggregator(length, f, m),
  });
}
