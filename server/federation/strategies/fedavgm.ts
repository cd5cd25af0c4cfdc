import { z } from 'zod';
import type { TrainOptions } from '../../../shared/train/options.ts';
import { decayOption, parseStrategyOptions, serverLearningRateOption } from './options.ts';
import type { ClientUpdate, Strategy } from './strategy.ts';
import { applyStep, assertStateLength, weightedMeanDelta } from './weighted-average.ts';

export const fedAvgMOptionsSchema = z.object({
  /** η. 1 keeps FedAvg's step size when momentum is 0. */
  serverLearningRate: serverLearningRateOption(1),
  /** β. 0.9 is the value Hsu et al. report working best across their non-IID settings. */
  momentum: decayOption(0.9),
});

export interface FedAvgMState {
  /** Server velocity v, one entry per parameter (Float64 so momentum does not accumulate rounding). */
  velocity: Float64Array;
}

/**
 * FedAvgM (Hsu et al. 2019, "Measuring the Effects of Non-Identical Data Distribution for Federated Visual
 * Classification"): heavy-ball momentum on the server, v = β·v + Δ̄; new = global + η·v, where Δ̄ is the
 * weighted mean delta. (The paper writes it with the pseudo-gradient −Δ̄ and a minus sign; same update.)
 * Note that the effective step at steady state is η / (1 − β) times Δ̄, i.e. 10× with the defaults; lower η
 * if rounds overshoot.
 */
export function createFedAvgM(options?: z.input<typeof fedAvgMOptionsSchema>): Strategy<FedAvgMState> {
  const { serverLearningRate, momentum } = parseStrategyOptions('fedavgm', fedAvgMOptionsSchema, options);
  return {
    name: 'fedavgm',
    options: Object.freeze({ serverLearningRate, momentum }),
    configureClients: (base: TrainOptions): TrainOptions => ({ ...base }),
    initState: (global: Float32Array) => ({ velocity: new Float64Array(global.length) }),
    aggregate(global: Float32Array, updates: readonly ClientUpdate[], state: FedAvgMState) {
      assertStateLength('velocity', state.velocity, global.length);
      const meanDelta = weightedMeanDelta(updates, global.length);
      const velocity = new Float64Array(global.length);
      for (let i = 0; i < velocity.length; i++) velocity[i] = momentum * state.velocity[i] + meanDelta[i];
      return { params: applyStep(global, velocity, serverLearningRate), state: { velocity } };
    },
  };
}
