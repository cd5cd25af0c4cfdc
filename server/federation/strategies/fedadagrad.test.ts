import { describe, expect, it } from 'vitest';
import { createFedAdagrad } from './fedadagrad.ts';
import { expectCloseTo, initialGlobal, roundOneUpdates, roundTwoUpdates } from './test-fixtures.ts';

describe('fedadagrad', () => {
  it('documents its defaults (η = 0.05, β1 = 0, τ = 1e-3) and starts v at τ²', () => {
    const strategy = createFedAdagrad();
    expect(strategy.options).toEqual({ serverLearningRate: 0.05, beta1: 0, tau: 1e-3 });
    const state = strategy.initState(initialGlobal());
    expect(Array.from(state.m)).toEqual([0, 0, 0]);
    expect(Array.from(state.v)).toEqual([1e-6, 1e-6, 1e-6]);
  });

  it('follows Reddi et al. Algorithm 2 over two rounds', () => {
    // η = 1, β1 = 0.5, τ = 0.5, so v0 = 0.25. Mean deltas: Δ1 = [1.75, 1, −3], Δ2 = [−3, 1, 2].
    const strategy = createFedAdagrad({ serverLearningRate: 1, beta1: 0.5, tau: 0.5 });
    const global = initialGlobal();
    const first = strategy.aggregate(global, roundOneUpdates(), strategy.initState(global));
    // m1 = 0.5·Δ1 = [0.875, 0.5, −1.5]; v1 = 0.25 + Δ1² = [3.3125, 1.25, 9.25]
    expectCloseTo(first.state.m, [0.875, 0.5, -1.5]);
    expectCloseTo(first.state.v, [3.3125, 1.25, 9.25]);
    // e.g. p1[1] = 2 + 0.5 / (√1.25 + 0.5) = 2 + 0.5 / 1.6180
    expectCloseTo(first.params, [1.3771507, 2.3090170, 2.5764365]);
    const second = strategy.aggregate(first.params, roundTwoUpdates(), first.state);
    // m2 = 0.5·m1 + 0.5·Δ2 = [−1.0625, 0.75, 0.25]; v2 = v1 + Δ2² = [12.3125, 2.25, 13.25]
    expectCloseTo(second.state.m, [-1.0625, 0.75, 0.25]);
    expectCloseTo(second.state.v, [12.3125, 2.25, 13.25]);
    // e.g. p2[1] = p1[1] + 0.75 / (√2.25 + 0.5) = 2.3090170 + 0.375
    expectCloseTo(second.params, [1.1121165, 2.6840170, 2.6368221]);
  });

  it('with β1 = 0 takes a near-sign step of size η in round one', () => {
    const strategy = createFedAdagrad();
    const global = initialGlobal();
    const { params } = strategy.aggregate(global, roundOneUpdates(), strategy.initState(global));
    // Δ/(√(τ² + Δ²) + τ) ≈ ±1 for |Δ| ≫ τ: each weight moves by ≈ 0.05 in the delta's direction.
    expectCloseTo(params, [1.05, 2.05, 2.95], 1e-4);
  });

  it('does not mutate the previous state, and rejects a foreign state and bad options', () => {
    const strategy = createFedAdagrad();
    const global = initialGlobal();
    const state = strategy.initState(global);
    strategy.aggregate(global, roundOneUpdates(), state);
    expect(Array.from(state.m)).toEqual([0, 0, 0]);
    expect(Array.from(state.v)).toEqual([1e-6, 1e-6, 1e-6]);
    const foreign = strategy.initState(Float32Array.of(0));
    expect(() => strategy.aggregate(global, roundOneUpdates(), foreign)).toThrow(/'m' has length 1; the model has 3/);
    expect(() => createFedAdagrad({ tau: 0 })).toThrow(/tau:/);
    expect(() => createFedAdagrad({ beta2: 0.9 } as never)).toThrow(
      'Unknown option "beta2" for strategy "fedadagrad"; valid options: serverLearningRate, beta1, tau',
    );
  });
});
