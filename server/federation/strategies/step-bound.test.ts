import { describe, expect, it } from 'vitest';
import { trainOptionsSchema } from '../../../shared/train/options.ts';
import { UpdateNormBound } from '../aggregation/update-bound.ts';
import { withUpdateBound } from './bounded.ts';
import { createFedAvg } from './fedavg.ts';
import { createFedSgd } from './fedsgd.ts';
import { localSteps, maxAbs, maxStepPerCoordinate, withStepBound } from './step-bound.ts';
import { expectCloseTo } from './test-fixtures.ts';

// 2 epochs of batch 4 at η 0.5: a client of 8 examples takes 2 × ⌈8/4⌉ = 4 steps, so with the multiple 1.5 no
// coordinate may move more than 1.5 × 0.5 × 4 = 3; one of 2 examples takes 2 × ⌈2/2⌉ = 2 steps: 1.5.
const training = trainOptionsSchema.parse({ epochs: 2, batchSize: 4, learningRate: 0.5, optimizer: 'adam' });

describe('withStepBound', () => {
  it("refuses an update with a coordinate beyond multiple × its local steps × η, before the mean sees it", () => {
    const strategy = withStepBound(createFedAvg(), training, { multiple: 1.5 });
    const cohort = strategy.aggregator.create(2);
    cohort.add({ delta: Float32Array.of(3, -1), numExamples: 8 }); // 3: at the bound, accepted
    expect(() => cohort.add({ delta: Float32Array.of(-3.5, 0), numExamples: 8 })).toThrow(expect.objectContaining({ code: 'UPDATE_OUT_OF_BOUNDS' }));
    expect(() => cohort.add({ delta: Float32Array.of(0, 2), numExamples: 2 })).toThrow(/moved 2\.000, over the 1\.500 its 2 examples' local steps allow/);
    cohort.add({ delta: Float32Array.of(1, 1), numExamples: 2 }); // 1 ≤ 1.5
    expect(cohort.count).toBe(2);
    // (8·[3, −1] + 2·[1, 1]) / 10
    expectCloseTo(Float32Array.from(cohort.result()), [2.6, -0.6]);
    const report = cohort.report?.();
    expect(report?.refused).toEqual({ 'coordinate-over-step-bound': 2 });
    // The largest coordinate in steps × η, refused updates included: max(3/2, 3.5/2, 2/1, 1/1) = 2
    expect(report?.stepBound).toEqual({ multiple: 1.5, largestRatio: 2 });
  });

  it('reports through the norm bound, which refuses for the norm first', () => {
    const strategy = withUpdateBound(withStepBound(createFedAvg(), training), new UpdateNormBound({ mode: 'fixed', maxNorm: 10 }));
    expect(strategy.options).toMatchObject({ stepBoundMultiple: 1.5, maxUpdateNorm: 10 });
    const cohort = strategy.aggregator.create(2);
    expect(() => cohort.add({ delta: Float32Array.of(20, 0), numExamples: 8 })).toThrow(/L2 norm/);
    expect(() => cohort.add({ delta: Float32Array.of(4, 0), numExamples: 8 })).toThrow(/local steps allow/);
    cohort.add({ delta: Float32Array.of(0, 2), numExamples: 8 });
    expect(cohort.report?.()).toEqual({
      normBound: 10,
      refused: { 'norm-over-bound': 1, 'coordinate-over-step-bound': 1 },
      acceptedNormMedian: 2,
      acceptedNormMax: 2,
      stepBound: { multiple: 1.5, largestRatio: 2 },
    });
  });

  it('bounds what the strategy asks the clients for, and is the inner strategy where a step has no bound (SGD)', () => {
    // FedSGD asks for one full-batch step of SGD: the server cannot bound an SGD step.
    const fedsgd = createFedSgd();
    expect(withStepBound(fedsgd, training)).toBe(fedsgd);
    const sgd = createFedAvg();
    expect(withStepBound(sgd, { ...training, optimizer: 'sgd' })).toBe(sgd);
    expect(() => withStepBound(createFedAvg(), training, { multiple: 0 })).toThrow(/step bound/);
  });

  it('counts local steps as local training takes them', () => {
    expect(localSteps({ epochs: 5, batchSize: 32 }, 100)).toBe(20); // 5 × ⌈100/32⌉
    expect(localSteps({ epochs: 5, batchSize: 32 }, 10)).toBe(5); // a batch never exceeds the set: 5 × 1
    expect(localSteps({ epochs: 3, batchSize: 0 }, 500)).toBe(3); // full batch: one step an epoch
    expect(maxStepPerCoordinate({ optimizer: 'adagrad', learningRate: 0.1 })).toBe(0.1);
    expect(maxStepPerCoordinate({ optimizer: 'sgd', learningRate: 0.1 })).toBeNull();
    expect(maxAbs(Float32Array.of(1, -4, 3))).toBe(4);
  });
});
