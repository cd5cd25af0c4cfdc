import { describe, expect, it } from 'vitest';
import { createStrategy } from './index.ts';
import { robustAggregator, withAggregator } from './robust.ts';
import { expectCloseTo, initialGlobal } from './test-fixtures.ts';

describe('withAggregator', () => {
  const updates = [
    { delta: Float32Array.of(1, 0, 0), numExamples: 1 },
    { delta: Float32Array.of(2, 0, 0), numExamples: 1 },
    { delta: Float32Array.of(100, -100, 100), numExamples: 1000 }, // an outlier that claims many examples
  ];

  it('swaps the aggregator and keeps the server optimizer: median + FedAvgM (η 0.5, β 0.9)', () => {
    const strategy = withAggregator(createStrategy('fedavgm', { serverLearningRate: 0.5, momentum: 0.9 }), robustAggregator('median') as never);
    expect(strategy.name).toBe('fedavgm+median');
    const global = initialGlobal(); // [1, 2, 3]
    const first = strategy.aggregate(global, updates, strategy.initState(global));
    // median = [2, 0, 0]; v₁ = [2, 0, 0]; w₁ = [1, 2, 3] + 0.5·v₁ = [2, 2, 3]
    expectCloseTo(first.params, [2, 2, 3]);
    const second = strategy.aggregate(first.params, updates, first.state);
    // v₂ = 0.9·v₁ + [2, 0, 0] = [3.8, 0, 0]; w₂ = [2, 2, 3] + 0.5·v₂ = [3.9, 2, 3]
    expectCloseTo(second.params, [3.9, 2, 3], 1e-5);
  });

  it('names each robust aggregator and records its options with the strategy', () => {
    expect(robustAggregator('mean')).toBeNull();
    const fedadam = createStrategy('fedadam');
    expect(withAggregator(fedadam, robustAggregator('trimmed-mean', { trimBeta: 0.2 }) as never).options).toMatchObject({ ...fedadam.options, trimBeta: 0.2 });
    expect(robustAggregator('krum', { krumF: 2 })?.options).toEqual({ krumF: 2 });
    expect(robustAggregator('centered-clip')?.options).toEqual({ ccTau: 100, ccIterations: 3, ccCenterPrevious: 1 });
  });
});
