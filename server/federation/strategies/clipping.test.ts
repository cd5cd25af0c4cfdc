import { describe, expect, it } from 'vitest';
import { trainOptionsSchema } from '../../../shared/train/options.ts';
import { clipUpdate, l2Norm, withUpdateClipping } from './clipping.ts';
import { createFedAvg } from './fedavg.ts';
import { createFedAvgM } from './fedavgm.ts';
import { createFedProx } from './fedprox.ts';
import { expectCloseTo, initialGlobal } from './test-fixtures.ts';

describe('clipUpdate', () => {
  it('scales a delta longer than maxNorm down to maxNorm, keeping its direction', () => {
    const update = { delta: Float32Array.of(3, 4, 0), numExamples: 10 };
    const clipped = clipUpdate(update, 1);
    expectCloseTo(clipped.delta, [0.6, 0.8, 0]);
    expect(l2Norm(clipped.delta)).toBeCloseTo(1, 6);
    expect(clipped.numExamples).toBe(10);
    expect(Array.from(update.delta)).toEqual([3, 4, 0]); // input untouched
  });

  it('returns a delta already inside the ball as it is', () => {
    const update = { delta: Float32Array.of(3, 4), numExamples: 2 };
    expect(clipUpdate(update, 5)).toBe(update);
    expect(clipUpdate(update, 6)).toBe(update);
  });
});

describe('withUpdateClipping', () => {
  it('clips each update before the inner aggregation', () => {
    const strategy = withUpdateClipping(createFedAvg(), 1);
    const global = initialGlobal();
    const updates = [
      { delta: Float32Array.of(3, 4, 0), numExamples: 10 }, // norm 5 → [0.6, 0.8, 0]
      { delta: Float32Array.of(0, 0, 0.5), numExamples: 30 }, // norm 0.5, untouched
    ];
    const { params } = strategy.aggregate(global, updates, strategy.initState(global));
    // [1, 2, 3] + 0.25·[0.6, 0.8, 0] + 0.75·[0, 0, 0.5]
    expectCloseTo(params, [1.15, 2.2, 3.375]);
  });

  it('threads the inner state through consecutive rounds', () => {
    const strategy = withUpdateClipping(createFedAvgM({ momentum: 0.5 }), 1);
    const global = Float32Array.of(0, 0);
    const big = [{ delta: Float32Array.of(6, 8), numExamples: 1 }]; // clipped to [0.6, 0.8]
    const first = strategy.aggregate(global, big, strategy.initState(global));
    expectCloseTo(first.params, [0.6, 0.8]);
    const second = strategy.aggregate(first.params, big, first.state);
    // v2 = 0.5·[0.6, 0.8] + [0.6, 0.8] = [0.9, 1.2]
    expectCloseTo(second.state.velocity, [0.9, 1.2]);
    expectCloseTo(second.params, [1.5, 2]);
  });

  it('names itself after the inner strategy, records maxNorm, and delegates the client config', () => {
    const strategy = withUpdateClipping(createFedProx({ mu: 0.3 }), 2.5);
    expect(strategy.name).toBe('fedprox+clip');
    expect(strategy.options).toEqual({ mu: 0.3, clipMaxNorm: 2.5 });
    expect(strategy.configureClients(trainOptionsSchema.parse({})).mu).toBe(0.3);
  });

  it.each([0, -1, Number.NaN, Number.POSITIVE_INFINITY])('rejects maxNorm = %s', (maxNorm) => {
    expect(() => withUpdateClipping(createFedAvg(), maxNorm)).toThrow(/finite maxNorm > 0/);
  });
});
