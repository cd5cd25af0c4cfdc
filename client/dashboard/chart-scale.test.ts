import { describe, expect, it } from 'vitest';
import { fitRange, tickLabels } from './chart-scale.ts';

describe('fitRange', () => {
  it('pads the data by 15% of its span', () => {
    const [lo, hi] = fitRange(0.6, 0.8, [0, 1], 0);
    expect(lo).toBeCloseTo(0.57, 10);
    expect(hi).toBeCloseTo(0.83, 10);
  });

  it('widens a tiny span to the minimum, sliding it inside the bounds', () => {
    // AUC between 0.998 and 1: a 0.1 band that ends at 1.
    const [lo, hi] = fitRange(0.998, 1, [0, 1], 0.1);
    expect(hi).toBe(1);
    expect(lo).toBeCloseTo(0.9, 10);
    const [lo2, hi2] = fitRange(0.01, 0.02, [0, 1], 0.2);
    expect(lo2).toBe(0);
    expect(hi2).toBeCloseTo(0.2, 10);
  });

  it('gives a flat line a band, and open-ended bounds a default without data', () => {
    expect(fitRange(0.5, 0.5, [0, Number.POSITIVE_INFINITY], 0)).toEqual([0.45, 0.55]);
    expect(fitRange(null, null, [0, 1], 0.1)).toEqual([0, 1]);
    expect(fitRange(null, 3, [0, Number.POSITIVE_INFINITY], 0)).toEqual([0, 1]);
  });

  it('never leaves the bounds', () => {
    expect(fitRange(-0.2, 1.3, [0, 1], 0)).toEqual([0, 1]);
  });
});

describe('tickLabels', () => {
  it('uses as many decimals as the tick spacing needs', () => {
    expect(tickLabels([0.9, 0.92, 0.94])).toEqual(['0.90', '0.92', '0.94']);
    expect(tickLabels([0, 0.5, 1])).toEqual(['0.0', '0.5', '1.0']);
    expect(tickLabels([0, 1, 2])).toEqual(['0', '1', '2']);
    expect(tickLabels([0.6, 0.8, 1], true)).toEqual(['60%', '80%', '100%']);
    expect(tickLabels([0.95, 0.955, 0.96], true)).toEqual(['95.0%', '95.5%', '96.0%']);
    expect(tickLabels([0.25])).toEqual(['0.25']);
  });
});
