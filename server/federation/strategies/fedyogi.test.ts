import { describe, expect, it } from 'vitest';
import { createFedYogi } from './fedyogi.ts';
import { expectCloseTo, initialGlobal, roundOneUpdates, roundTwoUpdates } from './test-fixtures.ts';

describe('fedyogi', () => {
  it('documents its defaults (η = 0.01, β1 = 0.9, β2 = 0.99, τ = 1e-3)', () => {
    expect(createFedYogi().options).toEqual({ serverLearningRate: 0.01, beta1: 0.9, beta2: 0.99, tau: 1e-3 });
  });

  it('follows Reddi et al. Algorithm 2 over two rounds, including a shrinking v', () => {
    // η = 1, β1 = β2 = 0.5, τ = 0.5, so v0 = 0.25. Mean deltas: Δ1 = [1.75, 1, −3], Δ2 = [−3, 1, 2].
    const strategy = createFedYogi({ serverLearningRate: 1, beta1: 0.5, beta2: 0.5, tau: 0.5 });
    const global = initialGlobal();
    const first = strategy.aggregate(global, roundOneUpdates(), strategy.initState(global));
    // v0 < Δ1² everywhere, so v grows: v1 = 0.25 + 0.5·Δ1² = [1.78125, 0.75, 4.75]
    expectCloseTo(first.state.m, [0.875, 0.5, -1.5]);
    expectCloseTo(first.state.v, [1.78125, 0.75, 4.75]);
    // e.g. p1[1] = 2 + 0.5 / (√0.75 + 0.5)
    expectCloseTo(first.params, [1.4769342, 2.3660254, 2.4401835]);
    const second = strategy.aggregate(first.params, roundTwoUpdates(), first.state);
    // Δ2² = [9, 1, 4]: coordinates 0 and 1 grow by 0.5·Δ2², coordinate 2 (4.75 > 4) shrinks by 0.5·4
    expectCloseTo(second.state.v, [6.28125, 1.25, 2.75]);
    expectCloseTo(second.state.m, [-1.0625, 0.75, 0.25]);
    expectCloseTo(second.params, [1.1235029, 2.8295509, 2.5560147]);
  });

  it('keeps v unchanged when it already equals Δ̄² (sign 0)', () => {
    const strategy = createFedYogi({ tau: 0.5 });
    const global = Float32Array.of(0);
    const { state } = strategy.aggregate(global, [{ delta: Float32Array.of(0.5), numExamples: 1 }], strategy.initState(global));
    expect(state.v[0]).toBe(0.25);
  });

  it('rejects invalid options', () => {
    expect(() => createFedYogi({ beta1: -0.1 })).toThrow(/beta1:/);
    expect(() => createFedYogi({ tau: 2 })).toThrow(/tau:/);
  });
});
