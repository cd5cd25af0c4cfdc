import { describe, expect, it } from 'vitest';
import { trimmedMean } from './trimmed-mean.ts';

function aggregate(beta: number, rows: number[][]): number[] {
  const cohort = trimmedMean(beta).create(rows[0].length);
  for (const row of rows) cohort.add({ delta: Float32Array.from(row), numExamples: 5 });
  return Array.from(cohort.result());
}

describe('trimmed mean', () => {
  it('drops ⌊β·K⌋ values at each end of every coordinate and averages the rest', () => {
    // K = 5, β = 0.2: one dropped per side. [−50, 1, 2, 3, 90] → (1 + 2 + 3) / 3 = 2; [4, 4, 4, 4, −9] → 4
    expect(aggregate(0.2, [[1, 4], [90, 4], [2, -9], [-50, 4], [3, 4]])).toEqual([2, 4]);
  });

  it('rounds the trim down: β = 0.3 of K = 3 trims nothing (the mean); β = 0.34 trims one each side (the median)', () => {
    expect(aggregate(0.3, [[1], [2], [9]])).toEqual([4]);
    expect(aggregate(0.34, [[1], [2], [9]])).toEqual([2]);
  });

  it('rejects β outside [0, 0.5)', () => {
    expect(() => trimmedMean(0.5)).toThrow(/β in \[0, 0.5\)/);
    expect(() => trimmedMean(-0.1)).toThrow(/β/);
    expect(trimmedMean(0.1).options).toEqual({ trimBeta: 0.1 });
  });
});
