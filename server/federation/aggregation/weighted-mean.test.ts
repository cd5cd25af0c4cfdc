import { describe, expect, it } from 'vitest';
import { Rng } from '../../../shared/random/rng.ts';
import type { ClientUpdate } from './aggregator.ts';
import { WeightedMeanAggregator, weightedMean } from './weighted-mean.ts';

const roundOne = (): ClientUpdate[] => [
  { delta: Float32Array.of(1, -2, 0), numExamples: 10 },
  { delta: Float32Array.of(2, 2, -4), numExamples: 30 },
];

function meanOf(updates: readonly ClientUpdate[], length: number): Float64Array {
  const aggregator = weightedMean.create(length);
  for (const update of updates) aggregator.add(update);
  return aggregator.result();
}

describe('WeightedMeanAggregator', () => {
  it('weights each delta by its share of the examples', () => {
    // 10/40 · [1, −2, 0] + 30/40 · [2, 2, −4] = [0.25 + 1.5, −0.5 + 1.5, −3]
    expect(Array.from(meanOf(roundOne(), 3))).toEqual([1.75, 1, -3]);
  });

  it('counts the updates and their examples as they arrive', () => {
    const aggregator = new WeightedMeanAggregator(3);
    const [a, b] = roundOne();
    aggregator.add(a);
    expect([aggregator.count, aggregator.totalExamples]).toEqual([1, 10]);
    aggregator.add(b);
    expect([aggregator.count, aggregator.totalExamples]).toEqual([2, 40]);
  });

  it('gives the same float32 result whatever order the updates arrive in', () => {
    const rng = new Rng(7);
    const updates: ClientUpdate[] = Array.from({ length: 500 }, () => ({
      delta: Float32Array.from({ length: 16 }, () => rng.normal() * 1e-2),
      numExamples: 1 + rng.int(200),
    }));
    const forward = Float32Array.from(meanOf(updates, 16));
    const shuffled = Float32Array.from(meanOf(rng.shuffle([...updates]), 16));
    expect(Array.from(shuffled)).toEqual(Array.from(forward));
  });

  it('keeps no reference to the updates and does not change them', () => {
    const updates = roundOne();
    const aggregator = weightedMean.create(3);
    for (const update of updates) aggregator.add(update);
    updates[0].delta.fill(100);
    expect(Array.from(aggregator.result())).toEqual([1.75, 1, -3]);
    expect(updates[1].numExamples).toBe(30);
  });

  it('adds a partial sum made elsewhere as if its updates had been added here', () => {
    const [a, b] = roundOne();
    const elsewhere = new WeightedMeanAggregator(3);
    elsewhere.add(b);
    const here = new WeightedMeanAggregator(3);
    here.add(a);
    here.merge(elsewhere.partial());
    expect([here.count, here.totalExamples]).toEqual([2, 40]);
    expect(Array.from(here.result())).toEqual([1.75, 1, -3]);
    expect(() => here.merge({ sum: new Float64Array(2), totalExamples: 1, count: 1 })).toThrow(/length 2 cannot join a sum of length 3/);
  });

  it('refuses to produce a mean of nothing, and a delta of the wrong length', () => {
    expect(() => weightedMean.create(3).result()).toThrow(/empty list/);
    expect(() => weightedMean.create(3).add({ delta: Float32Array.of(1, 1), numExamples: 3 })).toThrow(/delta of length 2; the model has 3 parameters/);
  });
});
