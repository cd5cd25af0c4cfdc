import { describe, expect, it } from 'vitest';
import { Rng } from '../random/rng.ts';
import { kthLargest } from './kth-largest.ts';

describe('kthLargest', () => {
  it('agrees with a sort on random values, with ties, for every k', () => {
    const rng = new Rng(2);
    for (const n of [1, 2, 7, 100]) {
      const values = Float32Array.from({ length: n }, () => rng.int(10));
      const sorted = Float32Array.from(values).sort().reverse();
      for (let k = 1; k <= n; k++) expect(kthLargest(Float32Array.from(values), k)).toBe(sorted[k - 1]);
    }
  });

  it('refuses k outside 1…n', () => {
    expect(() => kthLargest(new Float32Array(3), 0)).toThrow(RangeError);
    expect(() => kthLargest(new Float32Array(3), 4)).toThrow(RangeError);
  });
});
