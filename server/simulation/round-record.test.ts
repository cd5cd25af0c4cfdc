import { describe, expect, it } from 'vitest';
import type { RoundResult } from '../federation/engine/round-types.ts';
import { percentile, roundRecord } from './round-record.ts';
import { accuracyThresholds, summarizeRounds } from './summary.ts';
import { record } from './test-fixtures.ts';

describe('percentile', () => {
  it('interpolates linearly between closest ranks (NumPy default)', () => {
    // sorted [0.2, 0.5, 0.6, 0.9]: position 0.1·3 = 0.3 → 0.2 + 0.3·(0.5 − 0.2) = 0.29
    expect(percentile([0.9, 0.2, 0.6, 0.5], 0.1)).toBeCloseTo(0.29, 12);
    expect(percentile([0.9, 0.2, 0.6, 0.5], 0.5)).toBeCloseTo(0.55, 12);
    expect(percentile([0.9, 0.2, 0.6, 0.5], 0)).toBe(0.2);
    expect(percentile([0.9, 0.2, 0.6, 0.5], 1)).toBe(0.9);
    expect(percentile([0.7], 0.1)).toBe(0.7);
  });

  it('refuses no values and quantiles outside [0, 1]', () => {
    expect(() => percentile([], 0.1)).toThrow(/no values/);
    expect(() => percentile([1], 1.5)).toThrow(/quantile/);
  });
});

describe('roundRecord', () => {
  const metrics = {
    round: 3, modelVersion: 3, strategy: 'fedavg', sampled: 4, results: 3, failures: 1, examples: 300, clientKinds: { edge: 3 },
    trainLoss: 0.4, testAccuracy: 0.8, testAuc: 0.9, testLoss: 0.45, testPositiveRate: 0.55, federatedAccuracy: 0.75, bytesUp: 12, bytesDown: 16,
    wallSeconds: 1.5, finishedAt: '2026-01-01T00:00:00.000Z',
  };

  it('adds the per-client fairness figures to the engine metrics', () => {
    const result: RoundResult = { metrics, clientAccuracies: [1, 0.5, 0.6], roc: null };
    const r = roundRecord(result, 0.7);
    expect(r).toEqual({
      round: 3, modelVersion: 3, sampled: 4, results: 3, failures: 1, examples: 300, trainLoss: 0.4, testAccuracy: 0.8, testAuc: 0.9,
      testLoss: 0.45, testPositiveRate: 0.55, federatedAccuracy: 0.75, clientAccuracyMean: expect.closeTo(0.7, 12), clientAccuracyP10: expect.closeTo(0.52, 12), bytesUp: 12, bytesDown: 16,
      positiveShare: null, selected: [], wallSeconds: 1.5, trainSeconds: 0.7,
    });
    // mean (1 + 0.5 + 0.6) / 3 = 0.7; P10 at position 0.2 of [0.5, 0.6, 1] = 0.5 + 0.2·0.1 = 0.52
    expect(r.clientAccuracyMean).toBeCloseTo(0.7, 12);
    expect(r.clientAccuracyP10).toBeCloseTo(0.52, 12);
  });

  it('records which clients were sampled and their label mix', () => {
    const r = roundRecord({ metrics, clientAccuracies: [1], roc: null }, 0, { selected: ['client-3', 'client-7'], positiveShare: 0.25 });
    expect(r.selected).toEqual(['client-3', 'client-7']);
    expect(r.positiveShare).toBe(0.25);
  });

  it('leaves the fairness figures null when no client kept a held-out split', () => {
    const r = roundRecord({ metrics: { ...metrics, federatedAccuracy: null }, clientAccuracies: [], roc: null }, 0);
    expect(r.clientAccuracyMean).toBeNull();
    expect(r.clientAccuracyP10).toBeNull();
  });
});

describe('summarizeRounds', () => {
  it('finds final, best and the first round at each threshold', () => {
    const records = [
      record(1, { testAccuracy: 0.8, wallSeconds: 2 }),
      record(2, { testAccuracy: 0.86, wallSeconds: 3 }),
      record(3, { testAccuracy: null, wallSeconds: 1 }), // not evaluated (evalEvery > 1)
      record(4, { testAccuracy: 0.895, wallSeconds: 2 }),
      record(5, { testAccuracy: 0.885, testAuc: 0.95, testLoss: 0.3, federatedAccuracy: 0.9, wallSeconds: 2 }),
    ];
    const s = summarizeRounds(records, { total: 20, setup: 5 });
    expect(s).toMatchObject({
      rounds: 5,
      finalAccuracy: 0.885,
      finalAuc: 0.95,
      finalLoss: 0.3,
      finalFederatedAccuracy: 0.9,
      bestAccuracy: 0.895,
      bestRound: 4,
      roundsToAccuracy: { '0.85': 2, '0.88': 4, '0.89': 4, '0.9': null },
      totalSeconds: 20,
      setupSeconds: 5,
      secondsPerRound: 2,
      bytesUp: 5 * 40,
      bytesDown: 5 * 80,
    });
    expect(Object.keys(s.roundsToAccuracy)).toEqual(accuracyThresholds.map(String));
  });

  it('reports nothing rather than inventing figures for an empty run', () => {
    const s = summarizeRounds([], { total: 1, setup: 1 });
    expect(s).toMatchObject({ rounds: 0, finalAccuracy: null, bestAccuracy: null, bestRound: null, secondsPerRound: 0 });
  });
});
