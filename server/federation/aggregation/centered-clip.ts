import { z } from 'zod';
import type { AggregationMemory, AggregatorSpec, ClientUpdate } from './aggregator.ts';
import { KeptUpdatesAggregator } from './kept-updates.ts';

export const centeredClipSchema = z.strictObject({
  /** Clipping radius τ around the centre. */
  tau: z.number().positive().max(1e12),
  /** Iterations l. */
  iterations: z.number().int().min(1).max(100).default(1),
  /** Start from the previous round's aggregate (the paper's momentum-like choice) or from 0. */
  center: z.enum(['previous', 'zero']).default('previous'),
});

/**
 * Centered clipping (Karimireddy, He & Jaggi 2021): starting from a centre v, repeat l times
 *   v ← v + (1/K) Σ_k clip_τ(δ_k − v),   clip_τ(x) = x · min(1, τ / ‖x‖),
 * so each update moves the result at most τ/K per iteration whatever its size. The centre is the previous round's
 * aggregate (kept by the spec between rounds and stored with each version; 0 in round 1) or 0.
 */
export class CenteredClipAggregator extends KeptUpdatesAggregator {
  constructor(
    length: number,
    readonly tau: number,
    readonly iterations: number,
    private readonly start: Float64Array | null,
  ) {
    super(length);
  }

  protected combine(deltas: readonly Float32Array[]): Float64Array {
    const v = this.start ? this.start.slice() : new Float64Array(this.length);
    const step = new Float64Array(this.length);
    for (let round = 0; round < this.iterations; round++) {
      step.fill(0);
      for (const delta of deltas) {
        let sumOfSquares = 0;
        for (let i = 0; i < v.length; i++) sumOfSquares += (delta[i] - v[i]) ** 2;
        const norm = Math.sqrt(sumOfSquares);
        const scale = norm > this.tau ? this.tau / norm : 1;
        for (let i = 0; i < v.length; i++) step[i] += scale * (delta[i] - v[i]);
      }
      for (let i = 0; i < v.length; i++) v[i] += step[i] / deltas.length;
    }
    return v;
  }
}

export function centeredClip(options: z.input<typeof centeredClipSchema>): AggregatorSpec {
  const parsed = centeredClipSchema.safeParse(options);
  if (!parsed.success) throw new Error(`centered clipping: ${z.prettifyError(parsed.error)}`);
  const { tau, iterations, center } = parsed.data;
  let previous: Float64Array | null = null;
  return Object.freeze({
    name: 'centered-clip',
    options: Object.freeze({ ccTau: tau, ccIterations: iterations, ccCenterPrevious: center === 'previous' ? 1 : 0 }),
    // The centre is committed with each version, so a restart starts where an uninterrupted run would.
    memory: () => (center === 'previous' && previous ? { center: previous.slice() } : {}),
    restore(memory: AggregationMemory) {
      if (center === 'previous' && memory.center) previous = memory.center.slice();
    },
    create(length: number) {
      const inner = new CenteredClipAggregator(length, tau, iterations, center === 'previous' && previous?.length === length ? previous : null);
      return {
        add: (update: ClientUpdate) => inner.add(update),
        get count() {
          return inner.count;
        },
        get totalExamples() {
          return inner.totalExamples;
        },
        result() {
          const aggregate = inner.result();
          previous = aggregate.slice();
          return aggregate;
        },
      };
    },
  });
}
