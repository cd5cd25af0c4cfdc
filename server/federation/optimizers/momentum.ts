import { applyStep, assertStateLength, type ServerOptimizer } from './server-optimizer.ts';

/** Server velocity v, one entry per parameter (float64 so momentum does not accumulate rounding). */
export type MomentumState = { readonly velocity: Float64Array };

/**
 * Heavy-ball momentum on the server (FedAvgM, Hsu et al. 2019): v = β·v + Δ̄; new = global + η·v. (The paper
 * writes it with the pseudo-gradient −Δ̄ and a minus sign; same update.) At steady state the step is η/(1 − β)·Δ̄.
 */
export function momentumOptimizer(serverLearningRate: number, momentum: number): ServerOptimizer<MomentumState> {
  return {
    name: 'momentum',
    options: Object.freeze({ serverLearningRate, momentum }),
    init: (length) => ({ velocity: new Float64Array(length) }),
    step(global, meanDelta, state) {
      assertStateLength('velocity', state.velocity, global.length);
      const velocity = new Float64Array(global.length);
      for (let i = 0; i < velocity.length; i++) velocity[i] = momentum * state.velocity[i] + meanDelta[i];
      return { params: applyStep(global, velocity, serverLearningRate), state: { velocity } };
    },
  };
}
