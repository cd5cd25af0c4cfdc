import type { TrainOptions } from '../../../shared/train/options.ts';
import type { ClientUpdate, Strategy } from './strategy.ts';
import { applyStep, assertStateLength, weightedMeanDelta } from './weighted-average.ts';

/** Server optimiser state of FedAdagrad/FedAdam/FedYogi: first and second moments per parameter. */
export interface AdaptiveState {
  m: Float64Array;
  v: Float64Array;
}

/** Options every adaptive strategy resolves (FedAdagrad has no β2). */
export interface AdaptiveOptions {
  serverLearningRate: number;
  beta1: number;
  tau: number;
}

/** The only part that differs between the three: v_t from v_{t−1} and Δ̄² (one coordinate). */
export type SecondMomentUpdate = (previous: number, squaredDelta: number) => number;

/**
 * Algorithm 2 of Reddi et al. 2020 ("Adaptive Federated Optimization"), shared by FedAdagrad, FedAdam and
 * FedYogi. With Δ̄ the example-weighted mean delta (the negated pseudo-gradient):
 *   m = β1·m + (1 − β1)·Δ̄;   v = secondMoment(v, Δ̄²);   new = global + η·m / (√v + τ).
 * As in the paper there is no bias correction, and v starts at τ² (the paper's v_{−1} ≥ τ²) so that the
 * first rounds are not divided by an arbitrarily small √v. Moments are kept in Float64.
 */
export function createAdaptiveStrategy(
  name: string,
  options: AdaptiveOptions & Record<string, number>,
  secondMoment: SecondMomentUpdate,
): Strategy<AdaptiveState> {
  const { serverLearningRate: eta, beta1, tau } = options;
  return {
    name,
    options: Object.freeze({ ...options }),
    configureClients: (base: TrainOptions): TrainOptions => ({ ...base }),
    initState: (global: Float32Array) => ({
      m: new Float64Array(global.length),
      v: new Float64Array(global.length).fill(tau * tau),
    }),
    aggregate(global: Float32Array, updates: readonly ClientUpdate[], state: AdaptiveState) {
      assertStateLength('m', state.m, global.length);
      assertStateLength('v', state.v, global.length);
      const meanDelta = weightedMeanDelta(updates, global.length);
      const m = new Float64Array(global.length);
      const v = new Float64Array(global.length);
      const step = new Float64Array(global.length);
      for (let i = 0; i < global.length; i++) {
        const d = meanDelta[i];
        m[i] = beta1 * state.m[i] + (1 - beta1) * d;
        v[i] = secondMoment(state.v[i], d * d);
        step[i] = m[i] / (Math.sqrt(v[i]) + tau);
      }
      return { params: applyStep(global, step, eta), state: { m, v } };
    },
  };
}
