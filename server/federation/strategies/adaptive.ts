import { weightedMean } from '../aggregation/weighted-mean.ts';
import { adaptiveOptimizer, type AdaptiveOptions, type AdaptiveState, type SecondMomentUpdate } from '../optimizers/adaptive.ts';
import { composeStrategy, type Strategy } from './strategy.ts';

export type { AdaptiveState } from '../optimizers/adaptive.ts';

/**
 * FedAdagrad, FedAdam and FedYogi (Reddi et al. 2020, Algorithm 2): the weighted mean of the client deltas, and
 * an adaptive server optimizer over it (optimizers/adaptive.ts) that differs between the three only in how the
 * second moment v is updated. The optimizer is named after the strategy so that a stored state is never restored
 * into another of the three.
 */
export function adaptiveStrategy(name: string, options: AdaptiveOptions & Record<string, number>, secondMoment: SecondMomentUpdate): Strategy<AdaptiveState> {
  return composeStrategy({ name, options, aggregator: weightedMean, optimizer: adaptiveOptimizer(name, options, secondMoment) });
}
