import { describe, expect, it } from 'vitest';
import { Rng } from '../../../shared/random/rng.ts';
import { countsFromProportions, cutBySizes, drawDirichlet, evenSizes, shuffledIndicesByLabel } from './split.ts';

describe('countsFromProportions', () => {
  it('rounds cumulative cut points so counts sum exactly to the total', () => {
    // cut points: round(2.5) = 3, round(5) = 5, 10
    expect(countsFromProportions(10, [0.25, 0.25, 0.5])).toEqual([3, 2, 5]);
    expect(countsFromProportions(7, [1, 0, 0])).toEqual([7, 0, 0]);
    expect(countsFromProportions(0, [0.5, 0.5])).toEqual([0, 0]);
  });

  it('absorbs floating-point drift in the last count', () => {
    const thirds = [1 / 3, 1 / 3, 1 / 3];
    const counts = countsFromProportions(1000, thirds);
    expect(counts.reduce((a, b) => a + b)).toBe(1000);
    expect(counts).toEqual([333, 334, 333]);
  });
});

describe('evenSizes and cutBySizes', () => {
  it('deals the remainder to the first parts', () => {
    expect(evenSizes(10, 3)).toEqual([4, 3, 3]);
    expect(evenSizes(9, 3)).toEqual([3, 3, 3]);
    expect(cutBySizes([1, 2, 3, 4, 5], [2, 0, 3])).toEqual([[1, 2], [], [3, 4, 5]]);
  });

  it('refuses sizes that do not cover the items', () => {
    expect(() => cutBySizes([1, 2, 3], [1, 1])).toThrow(/sizes sum to 2, expected 3/);
  });
});

describe('drawDirichlet', () => {
  it('returns k non-negative proportions summing to 1', () => {
    const rng = new Rng(3);
    for (const alpha of [0.05, 1, 50]) {
      const p = drawDirichlet(rng, alpha, 8);
      expect(p).toHaveLength(8);
      expect(p.every((x) => x >= 0)).toBe(true);
      expect(p.reduce((a, b) => a + b)).toBeCloseTo(1, 12);
    }
  });

  it('falls back to a one-hot vector when every Gamma sample underflows (alpha → 0)', () => {
    const p = drawDirichlet(new Rng(1), 1e-7, 5);
    expect(p.filter((x) => x === 1)).toHaveLength(1);
    expect(p.filter((x) => x === 0)).toHaveLength(4);
  });
});

describe('shuffledIndicesByLabel', () => {
  it('groups indices by label', () => {
    const [negatives, positives] = shuffledIndicesByLabel([1, 0, 0, 1, 1], new Rng(2));
    expect([...negatives].sort()).toEqual([1, 2]);
    expect([...positives].sort()).toEqual([0, 3, 4]);
  });
});
