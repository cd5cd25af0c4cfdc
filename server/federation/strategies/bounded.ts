import type { AggregatorSpec } from '../aggregation/aggregator.ts';
import { l2Norm, median, UpdateNormBound, type BoundReport } from '../aggregation/update-bound.ts';
import type { OptimizerState } from '../optimizers/server-optimizer.ts';
import { composeStrategy, type Strategy } from './strategy.ts';

/**
 * Wraps a strategy so that every update's L2 norm is checked against `bound` before it reaches the inner
 * aggregator (update-bound.ts says why refused, not clipped). The name stays the inner strategy's (a bound is a
 * server policy, not another algorithm); the options record the bound's settings for provenance.
 */
export function withUpdateBound<S extends OptimizerState>(inner: Strategy<S>, bound: UpdateNormBound): Strategy<S> {
  if (bound.config.mode === 'off') return inner;
  const { mode, maxNorm, multiple, floor, ceiling, window } = bound.config;
  const settings: Record<string, number> = mode === 'fixed' ? { maxUpdateNorm: maxNorm as number } : { updateNormMultiple: multiple, updateNormFloor: floor, updateNormCeiling: ceiling, updateNormWindow: window };
  return composeStrategy({
    name: inner.name,
    options: { ...inner.options, ...settings },
    aggregator: boundedAggregator(inner.aggregator, bound),
    optimizer: inner.optimizer,
    configureClients: (base) => inner.configureClients(base),
  });
}

function boundedAggregator(inner: AggregatorSpec, bound: UpdateNormBound): AggregatorSpec {
  return {
    name: inner.name,
    options: inner.options,
    // The history is committed with each version (with the inner aggregator's memory) so a restart refuses the
    // same updates an uninterrupted run would; a fixed bound has no history and stores none.
    memory: () => ({ ...inner.memory?.(), ...(bound.config.mode === 'adaptive' ? { recentNorms: bound.history() } : {}) }),
    restore(memory) {
      if (memory.recentNorms && bound.config.mode === 'adaptive') bound.restore(memory.recentNorms);
      inner.restore?.(memory);
    },
    create(length, info) {
      const cohort = inner.create(length, info);
      // Fixed for the round: which updates are refused does not depend on their arrival order.
      const normBound = bound.current();
      const norms: number[] = [];
      const refused: Record<string, number> = {};
      return {
        add(update) {
          const norm = l2Norm(update.delta);
          try {
            UpdateNormBound.check(norm, normBound);
          } catch (error) {
            refused['norm-over-bound'] = (refused['norm-over-bound'] ?? 0) + 1;
            throw error;
          }
          cohort.add(update);
          norms.push(norm);
          bound.accepted(norm);
        },
        get count() {
          return cohort.count;
        },
        get totalExamples() {
          return cohort.totalExamples;
        },
        result: () => cohort.result(),
        report: (): BoundReport => {
          // A test inside the bound (the step bound) adds its own refusals and figures to the round's report.
          const inner = cohort.report?.();
          return {
            normBound,
            refused: { ...inner?.refused, ...refused },
            acceptedNormMedian: norms.length ? median(norms) : null,
            acceptedNormMax: norms.length ? Math.max(...norms) : null,
            ...(inner?.stepBound ? { stepBound: inner.stepBound } : {}),
            ...(inner?.validationFilter ? { validationFilter: inner.validationFilter } : {}),
          };
        },
      };
    },
  };
}
