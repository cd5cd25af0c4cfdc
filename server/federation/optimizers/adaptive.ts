import { applyStep, assertStateLength, type ServerOptimizer } from './server-optimizer.ts';

/** Server state of Adagrad/Adam/Yogi: first and second moments per parameter. */
export type AdaptiveState = { readonly m: Float64Array; readonly v: Float64Array };

export interface AdaptiveOptions {
  serverLearningRate: number;
  beta1: number;
  tau: number;
}

/** The only part that differs between the three: v_t from v_{t−1} and Δ̄² (one coordinate). */
export type SecondMomentUpdate = (previous: number, squaredDelta: number) => number;

/**
 * Algorithm 2 of Reddi et al. 2020 ("Adaptive Federated Optimization"), shared by Adagrad, Adam and Yogi. With Δ̄
 * the aggregate delta (the negated pseudo-gradient):
 *   m = β1·m + (1 − β1)·Δ̄;   v = secondMoment(v, Δ̄²);   new = global + η·m / (√v + τ).
 * As in the paper there is no bias correction, and v starts at τ² (the paper's v_{−1} ≥ τ²) so that the first
 * rounds are not divided by an arbitrarily small √v. Moments are kept in float64.
 */
export function adaptiveOptimizer(name: string, options: AdaptiveOptions & Record<string, number>, secondMoment: SecondMomentUpdate): ServerOptimizer<AdaptiveState> {
  const { serverLearningRate: eta, beta1, tau } = options;
  return {
    name,
    options: Object.freeze({ ...options }),
    init: (length) => ({ m: new Float64Array(length), v: new Float64Array(length).fill(tau * tau) }),
    step(global, meanDelta, state) {
      assertStateLength('m', state.m, global.length);
      assertStateLength('v', state.v, global.length);
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

export const adagradMoment: SecondMomentUpdate = (v, squaredDelta) => v + squaredDelta;
export const adamMoment = (beta2: number): SecondMomentUpdate => (v, squaredDelta) => beta2 * v + (1 - beta2) * squaredDelta;
export const yogiMoment = (beta2: number): SecondMomentUpdate => (v, squaredDelta) => v - (1 - beta2) * squaredDelta * Math.sign(v - squaredDelta);
