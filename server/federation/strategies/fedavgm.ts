import { z } from 'zod';
import { weightedMean } from '../aggregation/weighted-mean.ts';
import { momentumOptimizer, type MomentumState } from '../optimizers/momentum.ts';
import { decayOption, parseStrategyOptions, serverLearningRateOption } from './options.ts';
import { composeStrategy, type Strategy } from './strategy.ts';

export const fedAvgMOptionsSchema = z.object({
  /** η. 1 keeps FedAvg's step size when momentum is 0. */
  serverLearningRate: serverLearningRateOption(1),
  /** β. 0.9 is the value Hsu et al. report working best across their non-IID settings. */
  momentum: decayOption(0.9),
});

export type FedAvgMState = MomentumState;

/**
 * FedAvgM (Hsu et al. 2019, "Measuring the Effects of Non-Identical Data Distribution for Federated Visual
 * Classification"): the weighted mean with heavy-ball momentum on the server (optimizers/momentum.ts):
 * v = β·v + Δ̄; new = global + η·v. The effective step at steady state is η / (1 − β) times Δ̄, i.e. 10× with the
 * defaults; lower η if rounds overshoot.
 */
export function createFedAvgM(options?: z.input<typeof fedAvgMOptionsSchema>): Strategy<FedAvgMState> {
  const { serverLearningRate, momentum } = parseStrategyOptions('fedavgm', fedAvgMOptionsSchema, options);
  return composeStrategy({
    name: 'fedavgm',
    options: { serverLearningRate, momentum },
    aggregator: weightedMean,
    optimizer: momentumOptimizer(serverLearningRate, momentum),
  });
}
