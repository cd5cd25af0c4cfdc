import { describe, expect, it } from 'vitest';
import { Rng } from '../../../shared/random/rng.ts';
import type { ClientUpdate } from './strategy.ts';
import { expectCloseTo, roundOneUpdates } from './test-fixtures.ts';
import { applyStep, weightedMeanDelta } from './weighted-average.ts';

describe('weightedMeanDelta', () => {
  it('weights each delta by its share of the examples', () => {
    // 10/40 · [1, −2, 0] + 30/40 · [2, 2, −4] = [0.25 + 1.5, −0.5 + 1.5, −3]
    expect(Array.from(weightedMeanDelta(roundOneUpdates(), 3))).toEqual([1.75, 1, -3]);
  });

  it('rejects example counts whose total overflows, and is the plain mean for equal counts', () => {
    const updates = [
      { delta: Float32Array.of(1, 3), numExamples: 1e308 },
      { delta: Float32Array.of(3, 5), numExamples: 1e308 },
    ];
    // 2e308 overflows a double, so this checks the guard rather than the maths.
    expect(() => weightedMeanDelta(updates, 2)).toThrow(/sum of numExamples/);
    const equal = updates.map((u) => ({ ...u, numExamples: 7 }));
    expect(Array.from(weightedMeanDelta(equal, 2))).toEqual([2, 4]);
  });

  it('gives the same float32 result whatever order the updates arrive in', () => {
    const rng = new Rng(7);
    const updates: ClientUpdate[] = Array.from({ length: 500 }, () => ({
      delta: Float32Array.from({ length: 16 }, () => rng.normal() * 1e-2),
      numExamples: 1 + rng.int(200),
    }));
    const forward = Float32Array.from(weightedMeanDelta(updates, 16));
    const shuffled = Float32Array.from(weightedMeanDelta(rng.shuffle([...updates]), 16));
    expect(Array.from(shuffled)).toEqual(Array.from(forward));
  });

  it('does not mutate the updates', () => {
    const updates = roundOneUpdates();
    weightedMeanDelta(updates, 3);
    expect(Array.from(updates[0].delta)).toEqual([1, -2, 0]);
    expect(updates[1].numExamples).toBe(30);
  });

  it('rejects an empty update list', () => {
    expect(() => weightedMeanDelta([], 3)).toThrow(/empty list/);
  });

  it.each([0, -5, Number.NaN, Number.POSITIVE_INFINITY])('rejects numExamples = %s', (n) => {
    const updates = [roundOneUpdates()[0], { delta: Float32Array.of(1, 1, 1), numExamples: n }];
    expect(() => weightedMeanDelta(updates, 3)).toThrow(/Client update 1 has numExamples .*finite number > 0/);
  });

  it('rejects a delta whose length differs from the model', () => {
    const updates = [roundOneUpdates()[0], { delta: Float32Array.of(1, 1), numExamples: 3 }];
    expect(() => weightedMeanDelta(updates, 3)).toThrow('Client update 1 has a delta of length 2; the model has 3 parameters');
  });

  it('rejects a delta that is not a Float32Array', () => {
    const updates = [{ delta: [1, 2, 3] as unknown as Float32Array, numExamples: 3 }];
    expect(() => weightedMeanDelta(updates, 3)).toThrow(/not a Float32Array/);
  });

  it.each([Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY])(
    'names the client and index of a non-finite delta value (%s)',
    (bad) => {
      const updates = roundOneUpdates();
      updates[1].delta[2] = bad;
      expect(() => weightedMeanDelta(updates, 3)).toThrow(`Client update 1 has a non-finite delta value (${bad}) at index 2`);
    },
  );
});

describe('applyStep', () => {
  it('returns global + scale · step as a new float32 array', () => {
    const global = Float32Array.of(1, 2);
    const params = applyStep(global, Float64Array.of(0.5, -4), 0.5);
    expectCloseTo(params, [1.25, 0]);
    expect(params).not.toBe(global);
    expect(Array.from(global)).toEqual([1, 2]);
  });
});
