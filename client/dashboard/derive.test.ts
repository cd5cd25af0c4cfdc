import { describe, expect, it } from 'vitest';
import type { RoundMetrics } from '../../shared/protocol/messages.ts';
import { backendCounts, clientSummary, headline, recentVersions, rejectedRows, rocColumns, roundProgress, roundSeries, type DashboardClient } from './derive.ts';

const client = (over: Partial<DashboardClient>): DashboardClient => ({
  clientId: 'client-000',
  kind: 'browser',
  backend: 'wasm',
  backendReason: null,
  state: 'idle',
  shardId: 0,
  progress: null,
  ...over,
});

const metrics = (round: number, over: Partial<RoundMetrics> = {}): RoundMetrics => ({
  round,
  modelVersion: round,
  strategy: 'fedavg',
  sampled: 2,
  results: 2,
  failures: 0,
  examples: 100 * round,
  clientKinds: {},
  trainLoss: 0.7,
  testAccuracy: 0.5,
  testAuc: 0.5,
  testLoss: 0.69,
  federatedAccuracy: null,
  bytesUp: 0,
  bytesDown: 0,
  wallSeconds: 1,
  finishedAt: '2024-01-01T00:00:00Z',
  ...over,
});

describe('backendCounts', () => {
  it('counts clients per backend, most used first, with their distinct reasons', () => {
    const counts = backendCounts([
      client({ backend: 'webgpu', backendReason: 'WebGPU adapter found' }),
      client({ backend: 'wasm', backendReason: 'no WebGPU: fell back to wasm' }),
      client({ backend: 'wasm', backendReason: 'no WebGPU: fell back to wasm' }),
      client({ backend: 'wasm', backendReason: 'edge client default' }),
      client({ backend: null }),
    ]);
    expect(counts).toEqual([
      { backend: 'wasm', count: 3, reasons: ['no WebGPU: fell back to wasm', 'edge client default'] },
      { backend: 'unknown', count: 1, reasons: [] },
      { backend: 'webgpu', count: 1, reasons: ['WebGPU adapter found'] },
    ]);
  });

  it('is empty without clients', () => {
    expect(backendCounts([])).toEqual([]);
  });
});

describe('clientSummary', () => {
  it('counts uploading clients as working on the round', () => {
    const summary = clientSummary([
      client({ state: 'training' }),
      client({ state: 'uploading', kind: 'edge' }),
      client({ state: 'paused' }),
      client({ state: 'idle', kind: 'edge' }),
    ]);
    expect(summary).toEqual({ total: 4, training: 2, paused: 1, browser: 2, edge: 2 });
  });
});

describe('roundProgress', () => {
  it('gives the received fraction and the time left', () => {
    const p = roundProgress({ round: 3, totalRounds: 10, sampled: 4, received: 1, deadline: 10_000 }, 7_500);
    expect(p).toEqual({ round: 3, totalRounds: 10, sampled: 4, received: 1, deadline: 10_000, fraction: 0.25, remainingMs: 2_500 });
  });

  it('never goes below zero time or above a full bar, and is null without a round', () => {
    const p = roundProgress({ round: 1, totalRounds: 1, sampled: 2, received: 3, deadline: 1_000 }, 5_000);
    expect(p?.fraction).toBe(1);
    expect(p?.remainingMs).toBe(0);
    expect(roundProgress({ round: 1, totalRounds: 1, sampled: 0, received: 0, deadline: 0 }, 0)?.fraction).toBe(0);
    expect(roundProgress(null, 0)).toBeNull();
  });
});

describe('roundSeries', () => {
  it('orders rounds, keeps the last entry of a retried round, and leaves gaps as null', () => {
    const series = roundSeries([
      metrics(2, { testAccuracy: 0.7, federatedAccuracy: 0.72 }),
      metrics(1, { testAccuracy: 0.6, testAuc: 0.65 }),
      metrics(2, { testAccuracy: 0.75, testLoss: null }),
    ]);
    expect(series.rounds).toEqual([1, 2]);
    expect(series.testAccuracy).toEqual([0.6, 0.75]);
    expect(series.federatedAccuracy).toEqual([null, null]);
    expect(series.testAuc).toEqual([0.65, 0.5]);
    expect(series.testLoss).toEqual([0.69, null]);
  });
});

describe('headline', () => {
  it('reports the latest and the best accuracy with its round', () => {
    const h = headline([metrics(1, { testAccuracy: 0.6 }), metrics(2, { testAccuracy: 0.8, testAuc: 0.9 }), metrics(3, { testAccuracy: null, testAuc: null })]);
    expect(h).toEqual({ latestAccuracy: null, bestAccuracy: 0.8, bestRound: 2, latestAuc: null, latestExamples: 300 });
    expect(headline([])).toEqual({ latestAccuracy: null, bestAccuracy: null, bestRound: null, latestAuc: null, latestExamples: null });
  });
});

describe('rejectedRows and recentVersions', () => {
  it('sorts rejections by count and drops zeros', () => {
    expect(rejectedRows({ STALE_ROUND: 2, BAD_REQUEST: 0, INVALID_UPDATE: 5, DUPLICATE_UPDATE: 2 })).toEqual([
      { code: 'INVALID_UPDATE', count: 5 },
      { code: 'DUPLICATE_UPDATE', count: 2 },
      { code: 'STALE_ROUND', count: 2 },
    ]);
  });

  it('lists the newest versions first, capped', () => {
    const v = (modelVersion: number) => ({ modelVersion, round: modelVersion, strategy: 'fedavg', clients: 2, examples: 10, createdAt: '' });
    expect(recentVersions([v(0), v(2), v(1), v(3)], 3).map((x) => x.modelVersion)).toEqual([3, 2, 1]);
  });
});

describe('rocColumns', () => {
  it('keeps the points but makes repeated false-positive rates strictly increasing', () => {
    const { fpr, tpr } = rocColumns({ fpr: [0, 0, 0.5, 0.5, 1], tpr: [0, 0.5, 0.5, 1, 1], auc: 0.75 });
    expect(tpr).toEqual([0, 0.5, 0.5, 1, 1]);
    for (let i = 1; i < fpr.length; i++) expect(fpr[i]).toBeGreaterThan(fpr[i - 1]);
    expect(fpr[1]).toBeCloseTo(0, 6);
    expect(fpr[3]).toBeCloseTo(0.5, 6);
  });
});
