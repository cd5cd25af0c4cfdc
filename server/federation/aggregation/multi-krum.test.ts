import { describe, expect, it } from 'vitest';
import { multiKrum, MultiKrumAggregator } from './multi-krum.ts';

function cohort(f: number, m: number | undefined, rows: number[][]): MultiKrumAggregator {
  const aggregator = new MultiKrumAggregator(rows[0].length, f, m);
  for (const row of rows) aggregator.add({ delta: Float32Array.from(row), numExamples: 1 });
  return aggregator;
}

describe('multi-Krum', () => {
  // Four honest updates near (0, 0) and one attacker at (10, 0). K = 5, f = 1: each score sums the squared
  // distances to the K − f − 2 = 2 nearest others.
  const rows = [[0, 0], [1, 0], [0, 1], [1, 1], [10, 0]];
  // Squared distances: 0–1: 1, 0–2: 1, 0–3: 2, 1–3: 1, 2–3: 1, 1–2: 2, 4–1: 81, 4–3: 82, 4–0: 100, 4–2: 101.
  // Scores: 0: 1+1 = 2; 1: 1+1 = 2; 2: 1+1 = 2; 3: 1+1 = 2; 4: 81+82 = 163.

  it('Krum (m = 1) picks the lowest score (ties: the first)', () => {
    const krum = cohort(1, 1, rows);
    expect(krum.selected()).toEqual([0]);
    expect(Array.from(krum.result())).toEqual([0, 0]);
  });

  it('multi-Krum averages the m = K − f best by default, leaving the attacker out', () => {
    const multi = cohort(1, undefined, rows);
    expect(multi.selected()).toEqual([0, 1, 2, 3]);
    expect(Array.from(multi.result())).toEqual([0.5, 0.5]);
  });

  it('records f and m, and rejects a negative f', () => {
    expect(multiKrum({ f: 2, m: 3 }).options).toEqual({ krumF: 2, krumM: 3 });
    expect(() => multiKrum({ f: -1 })).toThrow(/multi-Krum/);
  });
});
