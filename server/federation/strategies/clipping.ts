import { z } from 'zod';
import { innerMemory, type AggregatorSpec, type ClientUpdate } from '../aggregation/aggregator.ts';
import type { OptimizerState } from '../optimizers/server-optimizer.ts';
import { composeStrategy, type Strategy } from './strategy.ts';

const maxNormSchema = z.number().positive().max(1e12);

/**
 * Wraps a strategy so that every client delta is first scaled down to an L2 norm of at most `maxNorm`
 * (deltas already inside the ball are untouched): delta · min(1, maxNorm / ||delta||). This bounds how far
 * one client (buggy, malicious, or trained on an outlier) can pull the global model, and it is the
 * sensitivity bound differential privacy builds on. It wraps the aggregator only: each update is clipped as
 * it arrives, before it is added, and the server optimizer is the inner strategy's.
 *
 * The norm is computed in float64 and the scaled delta rounded to float32, so a clipped norm may exceed
 * maxNorm by float32 rounding (~1e-7 relative).
 */
export function withUpdateClipping<S extends OptimizerState>(inner: Strategy<S>, maxNorm: number): Strategy<S> {
  const parsed = maxNormSchema.safeParse(maxNorm);
  if (!parsed.success) {
    throw new Error(`Update clipping needs a finite maxNorm > 0 (at most 1e12), got ${String(maxNorm)}`);
  }
  return composeStrategy({
    name: `${inner.name}+clip`,
    options: { ...inner.options, clipMaxNorm: maxNorm },
    aggregator: clippedAggregator(inner.aggregator, maxNorm),
    optimizer: inner.optimizer,
    configureClients: (base) => inner.configureClients(base),
  });
}

function clippedAggregator(inner: AggregatorSpec, maxNorm: number): AggregatorSpec {
  return {
    name: `${inner.name}+clip`,
    options: Object.freeze({ ...inner.options, clipMaxNorm: maxNorm }),
    ...innerMemory(inner),
    create(length) {
      const cohort = inner.create(length);
      return {
        add: (update) => cohort.add(clipUpdate(update, maxNorm)),
        get count() {
          return cohort.count;
        },
        get totalExamples() {
          return cohort.totalExamples;
        },
        result: () => cohort.result(),
      };
    },
  };
}

/** The update with its delta scaled to L2 norm <= maxNorm (a new object; the input is not mutated). */
export function clipUpdate(update: ClientUpdate, maxNorm: number): ClientUpdate {
  const norm = l2Norm(update.delta);
  if (norm <= maxNorm) return update;
  const scale = maxNorm / norm;
  const delta = new Float32Array(update.delta.length);
  for (let i = 0; i < delta.length; i++) delta[i] = update.delta[i] * scale;
  return { delta, numExamples: update.numExamples };
}

export function l2Norm(values: Float32Array): number {
  let sumOfSquares = 0;
  for (let i = 0; i < values.length; i++) sumOfSquares += values[i] * values[i];
  return Math.sqrt(sumOfSquares);
}
