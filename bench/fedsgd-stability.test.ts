import { describe, expect, it } from 'vitest';
import { largestEigen } from './fedsgd-stability.ts';

describe('largestEigen', () => {
  it('finds the largest eigenvalue of the mean outer product with the bias feature', () => {
    // x̃ = [1, 0, 1] and [0, 1, 1]: (1/2)·[[1,0,1],[0,1,1],[1,1,2]] has eigenvalues 0, 0.5 and 1.5, the last along [1, 1, 2].
    const set = { size: 2, rowStart: Int32Array.from([0, 1, 2]), ids: Int32Array.from([0, 1]), values: Float32Array.from([1, 1]), labels: Float32Array.from([0, 1]) };
    const { lambda, vector } = largestEigen(set, 2, 50);
    expect(lambda).toBeCloseTo(1.5, 10);
    expect(Array.from(vector)).toEqual([expect.closeTo(1 / Math.sqrt(6), 8), expect.closeTo(1 / Math.sqrt(6), 8), expect.closeTo(2 / Math.sqrt(6), 8)]);
  });
});
