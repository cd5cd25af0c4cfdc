import { z } from 'zod';
import type { ClientUpdate, Strategy } from './strategy.ts';

const maxNormSchema = z.number().positive().max(1e12);

/**
 * Wraps a strategy so that every client delta is first scaled down to an L2 norm of at most `maxNorm`
 * (deltas already inside the ball are untouched): delta · min(1, maxNorm / ||delta||). This bounds how far
 * one client (buggy, malicious, or trained on an outlier) can pull the global model, and it is the
 * sensitivity bound future differential-privacy wrappers will build on: they follow the same pattern of
 * transforming updates and delegating everything else to the inner strategy.
 *
 * The norm is computed in Float64 and the scaled delta rounded to float32, so a clipped norm may exceed
 * maxNorm by float32 rounding (~1e-7 relative). A delta containing NaN/Infinity is passed through unchanged
 * so that the inner aggregation reports it with its index.
 */
export function withUpdateClipping<S>(inner: Strategy<S>, maxNorm: number): Strategy<S> {
  const parsed = maxNormSchema.safeParse(maxNorm);
  if (!parsed.success) {
    throw new Error(`Update clipping needs a finite maxNorm > 0 (at most 1e12), got ${String(maxNorm)}`);
  }
  return {
    name: `${inner.name}+clip`,
    options: Object.freeze({ ...inner.options, clipMaxNorm: maxNorm }),
    configureClients: (base) => inner.configureClients(base),
    initState: (global) => inner.initState(global),
    aggregate: (global, updates, state) => inner.aggregate(global, updates.map((u) => clipUpdate(u, maxNorm)), state),
  };
}

/** The update with its delta scaled to L2 norm <= maxNorm (a new object; the input is not mutated). */
export function clipUpdate(update: ClientUpdate, maxNorm: number): ClientUpdate {
  const norm = l2Norm(update.delta);
  if (!Number.isFinite(norm) || norm <= maxNorm) return update;
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
