import { describe, expect, it } from 'vitest';
import { UpdateNormBound } from '../aggregation/update-bound.ts';
import { withUpdateBound } from './bounded.ts';
import { cosine, withDirectionTest } from './direction-test.ts';
import { createFedAvg } from './fedavg.ts';
import { expectCloseTo } from './test-fixtures.ts';

describe('withDirectionTest', () => {
  it('accepts everything in round 1, then refuses updates pointing against the previous aggregate', () => {
    const strategy = withDirectionTest(createFedAvg(), { minCosine: 0 });
    const first = strategy.aggregator.create(2);
    first.add({ delta: Float32Array.of(-1, 0), numExamples: 10 }); // no reference yet: accepted whatever it points at
    first.add({ delta: Float32Array.of(3, 2), numExamples: 30 });
    // (10·[−1, 0] + 30·[3, 2]) / 40 = [2, 1.5]: the reference of round 2
    expectCloseTo(Float32Array.from(first.result()), [2, 1.5]);
    expect(first.report?.().direction).toEqual({ minCosine: 0, cosineMin: null, cosineMedian: null });

    const second = strategy.aggregator.create(2);
    second.add({ delta: Float32Array.of(0, 1), numExamples: 10 }); // cos = 1.5 / 2.5 = 0.6
    // [−4, −3] is −2 × the reference's direction: cos −1; refused before the mean sees it
    expect(() => second.add({ delta: Float32Array.of(-4, -3), numExamples: 1000 })).toThrow(expect.objectContaining({ code: 'UPDATE_OUT_OF_BOUNDS' }));
    second.add({ delta: Float32Array.of(3, -4), numExamples: 30 }); // cos = (6 − 6) / (5 · 2.5) = 0: at the threshold, accepted
    expect(second.count).toBe(2);
    // (10·[0, 1] + 30·[3, −4]) / 40 = [2.25, −2.75]
    expectCloseTo(Float32Array.from(second.result()), [2.25, -2.75]);
    const report = second.report?.();
    expect(report?.refused).toEqual({ 'direction-against-reference': 1 });
    expect(report?.direction?.cosineMin).toBeCloseTo(-1, 12);
    expect(report?.direction?.cosineMedian).toBeCloseTo(0, 12);
  });

  it('takes its threshold from the options, records it, and rejects one outside [−1, 1)', () => {
    const strategy = withDirectionTest(createFedAvg(), { minCosine: 0.5 });
    expect(strategy.name).toBe('fedavg');
    expect(strategy.options).toMatchObject({ directionMinCosine: 0.5 });
    strategy.aggregator.create(2).add({ delta: Float32Array.of(1, 0), numExamples: 1 });
    const seed = strategy.aggregator.create(2);
    seed.add({ delta: Float32Array.of(1, 0), numExamples: 1 });
    seed.result();
    const next = strategy.aggregator.create(2);
    // cos([1, 1], [1, 0]) = 1/√2 ≈ 0.707 ≥ 0.5; cos([1, 2], [1, 0]) = 1/√5 ≈ 0.447 < 0.5
    next.add({ delta: Float32Array.of(1, 1), numExamples: 1 });
    expect(() => next.add({ delta: Float32Array.of(1, 2), numExamples: 1 })).toThrow(/cosine 0\.447/);
    expect(() => withDirectionTest(createFedAvg(), { minCosine: 1 })).toThrow(/direction test/);
    expect(() => withDirectionTest(createFedAvg(), { minCosine: -1.5 })).toThrow(/direction test/);
  });

  it('reports its refusals through the norm bound, which refuses for the norm first', () => {
    const strategy = withUpdateBound(withDirectionTest(createFedAvg()), new UpdateNormBound({ mode: 'fixed', maxNorm: 10 }));
    const first = strategy.aggregator.create(2);
    first.add({ delta: Float32Array.of(1, 1), numExamples: 1 });
    first.result();
    const second = strategy.aggregator.create(2);
    expect(() => second.add({ delta: Float32Array.of(-100, -100), numExamples: 1 })).toThrow(/L2 norm/); // over the bound and against
    expect(() => second.add({ delta: Float32Array.of(-1, -2), numExamples: 1 })).toThrow(/against/); // cos −3/√10
    second.add({ delta: Float32Array.of(2, 0), numExamples: 1 }); // cos 1/√2
    expect(second.report?.()).toEqual({
      normBound: 10,
      refused: { 'norm-over-bound': 1, 'direction-against-reference': 1 },
      acceptedNormMedian: 2,
      acceptedNormMax: 2,
      direction: { minCosine: 0, cosineMin: expect.closeTo(-3 / Math.sqrt(10), 12), cosineMedian: expect.closeTo((-3 / Math.sqrt(10) + 1 / Math.sqrt(2)) / 2, 12) },
    });
  });

  it('keeps its reference in the aggregation memory, so a restored strategy refuses what the first would', () => {
    const first = withDirectionTest(createFedAvg());
    const round = first.aggregator.create(2);
    round.add({ delta: Float32Array.of(0, 2), numExamples: 1 });
    round.result();
    const memory = first.aggregator.memory?.() ?? {};
    expect(Array.from(memory.center ?? [])).toEqual([0, 2]);
    const restored = withDirectionTest(createFedAvg());
    restored.aggregator.restore?.(memory);
    expect(() => restored.aggregator.create(2).add({ delta: Float32Array.of(1, -1), numExamples: 1 })).toThrow(/against/);
    // A fresh strategy (no memory) has no reference and accepts it.
    withDirectionTest(createFedAvg()).aggregator.create(2).add({ delta: Float32Array.of(1, -1), numExamples: 1 });
  });

  it('gives a zero update cosine 0', () => {
    expect(cosine(Float32Array.of(0, 0), Float64Array.of(1, 0), 1)).toBe(0);
    expect(cosine(Float32Array.of(0, -3), Float64Array.of(3, 4), 5)).toBeCloseTo(-0.8, 12);
  });
});
