import { describe, expect, it } from 'vitest';
import { leastSquaresSlope, summarize } from './soak-series.ts';

describe('soak series', () => {
  it('fits the slope of a line exactly and of a flat series as 0', () => {
    expect(leastSquaresSlope([1, 2, 3, 4], [10, 12, 14, 16])).toBeCloseTo(2, 12);
    expect(leastSquaresSlope([1, 2, 3], [5, 5, 5])).toBe(0);
    expect(leastSquaresSlope([7], [1])).toBe(0);
  });

  it('fits the hand-computed slope of noisy points', () => {
    // x̄ = 2, ȳ = 3; Σ(x−x̄)(y−ȳ) = (−1)(−2) + 0 + (1)(1) = 3; Σ(x−x̄)² = 2 → 1.5.
    expect(leastSquaresSlope([1, 2, 3], [1, 4, 4])).toBeCloseTo(1.5, 12);
  });

  it('summarizes start, end, max and the slope per 100 steps', () => {
    expect(summarize([1, 2, 3], [1, 4, 4])).toEqual({ start: 1, end: 4, max: 4, slopePer100: 150 });
  });

  it('refuses mismatched or empty input', () => {
    expect(() => leastSquaresSlope([1, 2], [1])).toThrow(/2 x values for 1 y values/);
    expect(() => summarize([], [])).toThrow(/no samples/);
  });
});
