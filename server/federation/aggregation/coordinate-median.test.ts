import { describe, expect, it } from 'vitest';
import { coordinateMedian } from './coordinate-median.ts';

const add = (spec: typeof coordinateMedian, rows: number[][], examples: number[] = rows.map(() => 1)) => {
  const cohort = spec.create(rows[0].length);
  rows.forEach((row, k) => cohort.add({ delta: Float32Array.from(row), numExamples: examples[k] }));
  return cohort;
};

describe('coordinate-wise median', () => {
  it('takes each coordinate’s middle value, whatever an outlier sends', () => {
    // columns: [1, 2, 1000] → 2; [-1, 5, -1000] → -1; [0, 0, 3] → 0
    const cohort = add(coordinateMedian, [[1, -1, 0], [2, 5, 0], [1000, -1000, 3]]);
    expect(Array.from(cohort.result())).toEqual([2, -1, 0]);
    expect(cohort.count).toBe(3);
  });

  it('averages the two middle values for an even count, and ignores example counts', () => {
    // [1, 2, 4, 100] → (2 + 4) / 2 = 3, even though the last client claims 10,000 examples
    const cohort = add(coordinateMedian, [[4], [1], [100], [2]], [1, 1, 10_000, 1]);
    expect(Array.from(cohort.result())).toEqual([3]);
    expect(cohort.totalExamples).toBe(10_003);
  });

  it('refuses to aggregate nothing', () => {
    expect(() => coordinateMedian.create(2).result()).toThrow(/empty/);
  });
});
