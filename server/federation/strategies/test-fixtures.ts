import { expect } from 'vitest';
import type { ClientUpdate } from './strategy.ts';

/**
 * Shared hand-computable fixture for the strategy tests: 3 parameters, 2 clients with 10 and 30 examples
 * (weights 1/4 and 3/4), two rounds. All values are dyadic, so every weighted mean is exact in float32.
 */
export const initialGlobal = (): Float32Array => Float32Array.of(1, 2, 3);

/** Round 1 mean delta: 0.25·[1, −2, 0] + 0.75·[2, 2, −4] = [1.75, 1, −3]. */
export const roundOneUpdates = (): ClientUpdate[] => [
  { delta: Float32Array.of(1, -2, 0), numExamples: 10 },
  { delta: Float32Array.of(2, 2, -4), numExamples: 30 },
];

/** Round 2 mean delta: 0.25·[0, 4, 2] + 0.75·[−4, 0, 2] = [−3, 1, 2]. */
export const roundTwoUpdates = (): ClientUpdate[] => [
  { delta: Float32Array.of(0, 4, 2), numExamples: 10 },
  { delta: Float32Array.of(-4, 0, 2), numExamples: 30 },
];

/** Element-wise closeness; the default tolerance covers float32 rounding of O(1) values. */
export function expectCloseTo(actual: ArrayLike<number>, expected: readonly number[], tolerance = 1e-6): void {
  expect(actual.length).toBe(expected.length);
  expected.forEach((value, i) => {
    expect(Math.abs(actual[i] - value), `index ${i}: ${actual[i]} vs ${value}`).toBeLessThanOrEqual(tolerance);
  });
}
