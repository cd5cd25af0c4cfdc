import { describe, expect, it } from 'vitest';
import { UpdateNormBound } from '../aggregation/update-bound.ts';
import { centeredClip } from '../aggregation/centered-clip.ts';
import { withUpdateBound } from './bounded.ts';
import { withUpdateClipping } from './clipping.ts';
import { withAggregator } from './robust.ts';
import { createFedAvg } from './fedavg.ts';
import { expectCloseTo, initialGlobal } from './test-fixtures.ts';

describe('withUpdateBound', () => {
  it('refuses an update over the bound before it reaches the mean, and reports the round', () => {
    const strategy = withUpdateBound(createFedAvg(), new UpdateNormBound({ mode: 'fixed', maxNorm: 5 }));
    const cohort = strategy.aggregator.create(3);
    cohort.add({ delta: Float32Array.of(3, 4, 0), numExamples: 10 }); // norm 5: at the bound, accepted
    expect(() => cohort.add({ delta: Float32Array.of(100, 100, 100), numExamples: 100_000 })).toThrow(expect.objectContaining({ code: 'UPDATE_OUT_OF_BOUNDS' }));
    cohort.add({ delta: Float32Array.of(0, 0, 1), numExamples: 30 });
    expect(cohort.count).toBe(2);
    // (10·[3, 4, 0] + 30·[0, 0, 1]) / 40
    expectCloseTo(Float32Array.from(cohort.result()), [0.75, 1, 0.75]);
    expect(cohort.report?.()).toEqual({ normBound: 5, refused: { 'norm-over-bound': 1 }, acceptedNormMedian: 3, acceptedNormMax: 5 });
  });

  it('adapts between rounds from the norms it accepted, keeping the bound fixed within a round', () => {
    const strategy = withUpdateBound(createFedAvg(), new UpdateNormBound({ mode: 'adaptive', multiple: 2, floor: 0.1, ceiling: 50 }));
    const first = strategy.aggregator.create(2);
    first.add({ delta: Float32Array.of(3, 4), numExamples: 1 }); // 5 ≤ ceiling 50
    first.add({ delta: Float32Array.of(30, 0), numExamples: 1 }); // 30: still round 1's bound of 50
    expect(first.report?.().normBound).toBe(50);
    const second = strategy.aggregator.create(2); // median(5, 30) = 17.5 → bound 35
    expect(second.report?.().normBound).toBe(35);
    expect(() => second.add({ delta: Float32Array.of(36, 0), numExamples: 1 })).toThrow(/over this round's bound 35/);
  });

  it('is the inner strategy itself when off, and keeps its name and optimizer otherwise', () => {
    const inner = createFedAvg();
    expect(withUpdateBound(inner, new UpdateNormBound({ mode: 'off' }))).toBe(inner);
    const bounded = withUpdateBound(inner, new UpdateNormBound({ mode: 'fixed', maxNorm: 2 }));
    expect(bounded.name).toBe(inner.name);
    expect(bounded.optimizer).toBe(inner.optimizer);
    expect(bounded.options).toMatchObject({ maxUpdateNorm: 2 });
    const global = initialGlobal();
    const { params } = bounded.aggregate(global, [{ delta: Float32Array.of(1, 0, 0), numExamples: 1 }], bounded.initState(global));
    expectCloseTo(params, [2, 2, 3]);
  });

  it("commits the bound's history with the inner aggregator's centre, and a restored strategy refuses what the first would", () => {
    const make = () =>
      withUpdateBound(
        withUpdateClipping(withAggregator(createFedAvg(), centeredClip({ tau: 100, iterations: 1 })), 1000),
        new UpdateNormBound({ mode: 'adaptive', multiple: 2, floor: 0.1, ceiling: 50 }),
      );
    const first = make();
    const round1 = first.aggregator.create(2);
    round1.add({ delta: Float32Array.of(3, 4), numExamples: 1 });
    round1.add({ delta: Float32Array.of(6, 8), numExamples: 1 });
    round1.result(); // centre (4.5, 6)
    const memory = first.aggregator.memory?.() ?? {};
    expect(memory.recentNorms).toEqual([5, 10]);
    expect(Array.from(memory.center ?? [])).toEqual([4.5, 6]);

    const restarted = make();
    restarted.aggregator.restore?.(memory);
    const fresh = make();
    for (const strategy of [first, restarted]) {
      const round2 = strategy.aggregator.create(2); // median 7.5 → bound 15
      expect(() => round2.add({ delta: Float32Array.of(20, 0), numExamples: 1 })).toThrow(/over this round's bound 15/);
      round2.add({ delta: Float32Array.of(4.5, 6), numExamples: 1 });
      expect(Array.from(round2.result())).toEqual([4.5, 6]);
    }
    // Without the memory: the ceiling (50) admits the outlier, and the centre is 0.
    const round2 = fresh.aggregator.create(2);
    round2.add({ delta: Float32Array.of(20, 0), numExamples: 1 });
    expect(round2.report?.().normBound).toBe(50);
  });

  it('keeps no history with a fixed bound', () => {
    const strategy = withUpdateBound(createFedAvg(), new UpdateNormBound({ mode: 'fixed', maxNorm: 5 }));
    strategy.aggregator.create(1).add({ delta: Float32Array.of(1), numExamples: 1 });
    expect(strategy.aggregator.memory?.()).toEqual({});
  });
});
