import { z } from 'zod';
import { ChorusError } from '../../../shared/protocol/errors.ts';
import type { AggregationMemory, AggregatorSpec } from '../aggregation/aggregator.ts';
import { median, type BoundReport, type DirectionReport } from '../aggregation/update-bound.ts';
import type { OptimizerState } from '../optimizers/server-optimizer.ts';
import { composeStrategy, type Strategy } from './strategy.ts';

export const directionTestSchema = z.strictObject({
  /** An update whose cosine with the reference is below this is refused; in [−1, 1). */
  minCosine: z.number().min(-1).lt(1).default(0),
});
export type DirectionTestConfig = z.infer<typeof directionTestSchema>;


/**
 * The direction test: refuses an update that points against where the federation has been going. The reference is
 * the previous round's aggregate (the inner aggregator's result, in delta space); an update δ whose cosine
 * δ·r / (‖δ‖‖r‖) is below `minCosine` is refused with UPDATE_OUT_OF_BOUNDS, reason `direction-against-reference`.
 *
 * Why: the norm bound cannot see an update of ordinary length that pulls the wrong way. A sign-flipped update
 * (−S × honest) from a client whose honest update is small — one whose reviews are all of one label barely moves
 * under logit adjustment — has an ordinary norm, carries its full example weight, and on IMDB cost up to 24 points
 * in the round it landed (docs/robust-aggregation.md). Its cosine with the reference is minus the honest one, and
 * honest clients, however skewed their labels, share the common direction of the task (measured in the same doc:
 * honest cosines with the previous aggregate stayed positive, attackers' negative). Label-flip updates, trained to
 * invert the task, point against it too.
 *
 * Streaming: the cosine needs only the update and the reference, so the weighted mean keeps O(model) memory. The
 * reference is scale-free (only its direction counts), so the server optimizer and the aggregator behind it do not
 * matter. Round 1 has no reference and refuses nothing (the norm bound still applies). The reference is committed
 * with each version as the aggregator memory's `center` — the same vector centered clipping keeps, the previous
 * round's aggregate — so a restart refuses what an uninterrupted run would. A zero update has cosine 0.
 */
export function withDirectionTest<S extends OptimizerState>(inner: Strategy<S>, config: z.input<typeof directionTestSchema> = {}): Strategy<S> {
  const parsed = directionTestSchema.safeParse(config);
  if (!parsed.success) throw new Error(`direction test: ${z.prettifyError(parsed.error)}`);
  const { minCosine } = parsed.data;
  return composeStrategy({
    // A server policy like the bound, not another algorithm: the name stays the inner strategy's.
    name: inner.name,
    options: { ...inner.options, directionMinCosine: minCosine },
    aggregator: directionTestedAggregator(inner.aggregator, minCosine),
    optimizer: inner.optimizer,
    configureClients: (base) => inner.configureClients(base),
  });
}

function directionTestedAggregator(inner: AggregatorSpec, minCosine: number): AggregatorSpec {
  let reference: Float64Array | null = null;
  return {
    name: inner.name,
    options: inner.options,
    memory: () => ({ ...inner.memory?.(), ...(reference ? { center: reference.slice() } : {}) }),
    restore(memory: AggregationMemory) {
      if (memory.center) reference = memory.center.slice();
      inner.restore?.(memory);
    },
    create(length, info) {
      const cohort = inner.create(length, info);
      // Fixed for the round (as the norm bound is): the order of arrival does not change which updates are refused.
      const round = reference?.length === length ? { direction: reference, norm: norm64(reference) } : null;
      const cosines: number[] = [];
      let refusedCount = 0;
      return {
        add(update) {
          if (round && round.norm > 0) {
            const value = cosine(update.delta, round.direction, round.norm);
            cosines.push(value);
            if (value < minCosine) {
              refusedCount++;
              throw new ChorusError('UPDATE_OUT_OF_BOUNDS', `the update points against the federation's recent direction (cosine ${value.toFixed(3)} with the previous aggregate, under ${minCosine})`);
            }
          }
          cohort.add(update);
        },
        get count() {
          return cohort.count;
        },
        get totalExamples() {
          return cohort.totalExamples;
        },
        result() {
          const aggregate = cohort.result();
          reference = aggregate.slice();
          return aggregate;
        },
        report(): BoundReport {
          const direction: DirectionReport = { minCosine, cosineMin: cosines.length ? Math.min(...cosines) : null, cosineMedian: cosines.length ? median(cosines) : null };
          // Alone (the norm bound off) this is the round's whole report; inside the bound, the bound merges it.
          return {
            normBound: null,
            refused: refusedCount ? { 'direction-against-reference': refusedCount } : {},
            acceptedNormMedian: null,
            acceptedNormMax: null,
            direction,
          };
        },
      };
    },
  };
}

/** cos(δ, r) with ‖r‖ given; 0 for a zero update (it has no direction to test). */
export function cosine(delta: Float32Array, reference: Float64Array, referenceNorm: number): number {
  let dot = 0;
  let squares = 0;
  for (let i = 0; i < delta.length; i++) {
    dot += delta[i] * reference[i];
    squares += delta[i] * delta[i];
  }
  return squares === 0 ? 0 : dot / (Math.sqrt(squares) * referenceNorm);
}

function norm64(values: Float64Array): number {
  let squares = 0;
  for (let i = 0; i < values.length; i++) squares += values[i] * values[i];
  return Math.sqrt(squares);
}
