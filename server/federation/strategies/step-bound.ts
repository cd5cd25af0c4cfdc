import { z } from 'zod';
import { ChorusError } from '../../../shared/protocol/errors.ts';
import type { TrainOptions } from '../../../shared/train/options.ts';
import { innerMemory, type AggregatorSpec } from '../aggregation/aggregator.ts';
import type { BoundReport, StepBoundReport } from '../aggregation/update-bound.ts';
import type { OptimizerState } from '../optimizers/server-optimizer.ts';
import { composeStrategy, type Strategy } from './strategy.ts';

export const stepBoundSchema = z.strictObject({
  /** Refuse an update whose largest coordinate moved more than this many times the most one step can move it. */
  multiple: z.number().min(0.01).max(1000).default(1.5),
});

/**
 * The most one local step of `optimizer` at learning rate `lr` moves one coordinate, for any gradient:
 * - Adam (tfjs: β1 0.9, β2 0.999, bias-corrected): |m̂ / (√v̂ + ε)| ≤ (1 − β1) / √(1 − β2) ≈ 3.16 (Kingma & Ba 2015,
 *   §2.1), and 1 when every step's gradient has the same size — the common case;
 * - Adagrad: g / √(Σ g²) ≤ 1;
 * - SGD: lr × the gradient, which has no bound the server knows: null (the step bound does not apply).
 * Both bounded cases are scale-free, so the bound holds for any model and loss.
 */
export function maxStepPerCoordinate(options: Pick<TrainOptions, 'optimizer' | 'learningRate'>): number | null {
  if (options.optimizer === 'adam' || options.optimizer === 'adagrad') return options.learningRate;
  return null;
}

/** Local steps a client of `numExamples` examples takes (train-steps.ts: E × ⌈n / min(B, n)⌉; B 0: one batch). */
export function localSteps(options: Pick<TrainOptions, 'epochs' | 'batchSize'>, numExamples: number): number {
  const n = Math.max(1, numExamples);
  const batch = options.batchSize === 0 ? n : Math.min(options.batchSize, n);
  return options.epochs * Math.ceil(n / batch);
}

/**
 * The step bound: the server asked each client for E epochs of batch B at learning rate η with Adam (or Adagrad), so
 * no coordinate of an honest update moved more than (steps × η) × the optimizer's per-step factor, whatever the data.
 * An update with a coordinate beyond `multiple` × steps × η is refused (UPDATE_OUT_OF_BOUNDS, reason
 * `coordinate-over-step-bound`).
 *
 * Why: on IMDB under label skew, the damaging sign-flipped and scaled updates (−10× and 10× an honest one) pass the
 * norm bound when the honest update is small — a client whose reviews are all of one label barely moves its word
 * weights under logit adjustment — yet its intercept moved at full speed, about η per step, since every step's
 * gradient pushed it the same way. Ten times that is a shift of the intercept no honest client can make, and it
 * carries the client's full example weight: the test's positive rate fell to 0.14 in the round it landed
 * (docs/robust-aggregation.md). The bound needs no history, so it holds from round 1, and no reference, so it is
 * streaming and its decision for an update does not depend on the others.
 *
 * The steps come from the client's claimed example count, capped at its shard size by validation: a larger claim
 * buys a larger bound and a larger weight in the mean only within that cap. The learning rate is the round's base
 * one (its decay only lowers it). Under SGD the server cannot bound a step, and the wrapper is the inner strategy.
 */
export function withStepBound<S extends OptimizerState>(inner: Strategy<S>, training: TrainOptions, config: z.input<typeof stepBoundSchema> = {}): Strategy<S> {
  const parsed = stepBoundSchema.safeParse(config);
  if (!parsed.success) throw new Error(`step bound: ${z.prettifyError(parsed.error)}`);
  const { multiple } = parsed.data;
  // What the clients are asked to run, after the strategy's own changes (FedSGD's single full batch, FedProx's μ).
  const asked = inner.configureClients(training);
  const perStep = maxStepPerCoordinate(asked);
  if (perStep === null) return inner;
  return composeStrategy({
    // A server policy like the norm bound, not another algorithm: the name stays the inner strategy's.
    name: inner.name,
    options: { ...inner.options, stepBoundMultiple: multiple },
    aggregator: stepBoundedAggregator(inner.aggregator, (numExamples) => multiple * perStep * localSteps(asked, numExamples), multiple),
    optimizer: inner.optimizer,
    configureClients: (base) => inner.configureClients(base),
  });
}

function stepBoundedAggregator(inner: AggregatorSpec, boundFor: (numExamples: number) => number, multiple: number): AggregatorSpec {
  return {
    name: inner.name,
    options: inner.options,
    ...innerMemory(inner),
    create(length, info) {
      const cohort = inner.create(length, info);
      let refusedCount = 0;
      let largestRatio: number | null = null;
      return {
        add(update) {
          const bound = boundFor(update.numExamples);
          const largest = maxAbs(update.delta);
          const ratio = (largest / bound) * multiple;
          largestRatio = Math.max(largestRatio ?? 0, ratio);
          if (largest > bound) {
            refusedCount++;
            throw new ChorusError('UPDATE_OUT_OF_BOUNDS', `a coordinate of the update moved ${largest.toPrecision(4)}, over the ${bound.toPrecision(4)} its ${update.numExamples} examples' local steps allow`);
          }
          cohort.add(update);
        },
        get count() {
          return cohort.count;
        },
        get totalExamples() {
          return cohort.totalExamples;
        },
        result: () => cohort.result(),
        report(): BoundReport {
          const innerReport = cohort.report?.();
          return {
            normBound: innerReport?.normBound ?? null,
            acceptedNormMedian: innerReport?.acceptedNormMedian ?? null,
            acceptedNormMax: innerReport?.acceptedNormMax ?? null,
            refused: { ...innerReport?.refused, ...(refusedCount ? { 'coordinate-over-step-bound': refusedCount } : {}) },
            stepBound: { multiple, largestRatio } satisfies StepBoundReport,
            ...(innerReport?.validationFilter ? { validationFilter: innerReport.validationFilter } : {}),
          };
        },
      };
    },
  };
}

/** The largest |value|. */
export function maxAbs(values: Float32Array): number {
  let largest = 0;
  for (let i = 0; i < values.length; i++) {
    const v = Math.abs(values[i]);
    if (v > largest) largest = v;
  }
  return largest;
}
