import { describe, expect, it } from 'vitest';
import { createFedAdam } from './fedadam.ts';
import { expectCloseTo, initialGlobal, roundOneUpdates, roundTwoUpdates } from './test-fixtures.ts';

describe('fedadam', () => {
  it('documents its defaults (η = 0.01, β1 = 0.9, β2 = 0.99, τ = 1e-3)', () => {
    const strategy = createFedAdam();
    expect(strategy.name).toBe('fedadam');
    expect(strategy.options).toEqual({ serverLearningRate: 0.01, beta1: 0.9, beta2: 0.99, tau: 1e-3 });
    expect(Array.from(strategy.initState(initialGlobal()).v)).toEqual([1e-6, 1e-6, 1e-6]);
  });

  it('follows Reddi et al. Algorithm 2 over two rounds', () => {
    // η = 1, β1 = β2 = 0.5, τ = 0.5, so v0 = 0.25. Mean deltas: Δ1 = [1.75, 1, −3], Δ2 = [−3, 1, 2].
    const strategy = createFedAdam({ serverLearningRate: 1, beta1: 0.5, beta2: 0.5, tau: 0.5 });
    const global = initialGlobal();
    const first = strategy.aggregate(global, roundOneUpdates(), strategy.initState(global));
    // m1 = [0.875, 0.5, −1.5]; v1 = 0.5·0.25 + 0.5·Δ1² = [1.65625, 0.625, 4.625]
    expectCloseTo(first.state.m, [0.875, 0.5, -1.5]);
    expectCloseTo(first.state.v, [1.65625, 0.625, 4.625]);
    // e.g. p1[0] = 1 + 0.875 / (√1.65625 + 0.5)
    expectCloseTo(first.params, [1.4896601, 2.3874259, 2.4340864]);
    const second = strategy.aggregate(first.params, roundTwoUpdates(), first.state);
    // m2 = [−1.0625, 0.75, 0.25]; v2 = 0.5·v1 + 0.5·Δ2² = [5.328125, 0.8125, 4.3125]
    expectCloseTo(second.state.m, [-1.0625, 0.75, 0.25]);
    expectCloseTo(second.state.v, [5.328125, 0.8125, 4.3125]);
    expectCloseTo(second.params, [1.1113137, 2.9226096, 2.5311114]);
  });

  it('leaves a coordinate that no client moved where it is', () => {
    const strategy = createFedAdam();
    const global = initialGlobal();
    const updates = [{ delta: Float32Array.of(0.01, 0, -0.01), numExamples: 5 }];
    const { params } = strategy.aggregate(global, updates, strategy.initState(global));
    expect(params[1]).toBe(2);
    expect(params[0]).toBeGreaterThan(1);
    expect(params[2]).toBeLessThan(3);
  });

  it('rejects β2 = 1 and unknown options', () => {
    expect(() => createFedAdam({ beta2: 1 })).toThrow(/Invalid options for strategy "fedadam": beta2:/);
    expect(() => createFedAdam({ eta: 0.1 } as never)).toThrow(
      'Unknown option "eta" for strategy "fedadam"; valid options: serverLearningRate, beta1, beta2, tau',
    );
  });
});
