import { describe, expect, it } from 'vitest';
import { ChorusError } from '../../../shared/protocol/errors.ts';
import { coordinateMedian } from '../aggregation/coordinate-median.ts';
import { UpdateNormBound } from '../aggregation/update-bound.ts';
import { weightedMean } from '../aggregation/weighted-mean.ts';
import { withUpdateBound } from '../strategies/bounded.ts';
import { createStrategy } from '../strategies/index.ts';
import { FedBuffBuffer } from './fedbuff-buffer.ts';

const settings = { bufferSize: 2, maxStaleness: 3, stalenessExponent: 0.5 };
const update = (values: number[], numExamples = 10) => ({ delta: Float32Array.from(values), numExamples });

describe('FedBuffBuffer', () => {
  it('weighs each update by 1/√(1 + s) into the example-weighted mean, and is full at K', () => {
    const buffer = new FedBuffBuffer(weightedMean, 2, settings);
    expect(buffer.add(update([4, 8], 10), 0)).toBe(1);
    expect(buffer.full).toBe(false);
    // Three versions behind: weight 1/2, so [4, -8] counts as [2, -4]; 30 examples against 10.
    expect(buffer.add(update([4, -8], 30), 3)).toBe(0.5);
    expect(buffer.full).toBe(true);
    const drained = buffer.drain();
    // (10·[4, 8] + 30·[2, −4]) / 40 = [2.5, −1]
    expect([...drained.aggregate]).toEqual([2.5, -1]);
    expect(drained).toMatchObject({ count: 2, staleness: [0, 3], weights: [1, 0.5], refused: {} });
    expect(buffer.count).toBe(0);
  });

  it('refuses an update beyond the maximum staleness, counts it, and keeps it out of the aggregate', () => {
    const buffer = new FedBuffBuffer(weightedMean, 2, settings);
    buffer.add(update([1, 1]), 1);
    let refusal: unknown;
    try {
      buffer.add(update([100, 100]), 4);
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(ChorusError);
    expect((refusal as ChorusError).code).toBe('WRONG_MODEL_VERSION');
    expect((refusal as ChorusError).message).toMatch(/4 versions behind.*at most 3/);
    expect(buffer.refusals).toEqual({ 'too-stale': 1 });
    buffer.add(update([1, 1]), 3);
    const drained = buffer.drain();
    expect(drained.refused).toEqual({ 'too-stale': 1 });
    expect(drained.aggregate[0]).toBeCloseTo((1 / Math.SQRT2 + 0.5) / 2, 6);
  });

  it('checks the norm bound per (weighted) update before it enters, and counts a refusal', () => {
    const bounded = withUpdateBound(createStrategy('fedavg'), new UpdateNormBound({ mode: 'fixed', maxNorm: 10 }));
    const buffer = new FedBuffBuffer(bounded.aggregator, 2, settings);
    expect(() => buffer.add(update([30, 0]), 0)).toThrow(expect.objectContaining({ code: 'UPDATE_OUT_OF_BOUNDS' }));
    // The same raw norm three versions behind weighs 1/2: 15 is still over 10.
    expect(() => buffer.add(update([30, 0]), 3)).toThrow(/bound/);
    buffer.add(update([6, 0]), 0);
    buffer.add(update([8, 0]), 0);
    const drained = buffer.drain();
    expect(drained.refused).toEqual({ 'norm-over-bound': 2 });
    expect(drained.updateBound).toMatchObject({ normBound: 10, refused: { 'norm-over-bound': 2 }, acceptedNormMax: 8 });
    expect([...drained.aggregate]).toEqual([7, 0]);
  });

  it('hands a coordinate-wise robust aggregator the K weighted updates of a version', () => {
    const buffer = new FedBuffBuffer(coordinateMedian, 1, { ...settings, bufferSize: 3 });
    buffer.add(update([1]), 0);
    buffer.add(update([1000]), 0);
    buffer.add(update([4]), 3);
    // weighted: 1, 1000, 2 → median 2
    expect([...buffer.drain().aggregate]).toEqual([2]);
  });

  it('refuses to overfill or drain an empty buffer', () => {
    const buffer = new FedBuffBuffer(weightedMean, 1, { ...settings, bufferSize: 1 });
    expect(() => buffer.drain()).toThrow(/empty/);
    buffer.add(update([1]), 0);
    expect(() => buffer.add(update([1]), 0)).toThrow(/full/);
  });
});
