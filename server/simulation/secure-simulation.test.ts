import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../shared/random/rng.ts';
import { clipToNorm, ringScale, sumErrorBound } from '../../shared/secagg/quantize.ts';
import { resolveSimulationConfig } from './resolve-config.ts';
import type { RoundRecord } from './round-record.ts';
import { runSimulation, type SimulationData } from './run-simulation.ts';
import { secureRoundSum } from './secure-rounds.ts';
import { syntheticReviews } from './test-fixtures.ts';

const data: SimulationData = { path: 'generated.jsonl', format: 'jsonl', split: 'holdout', train: syntheticReviews(600, 1), test: syntheticReviews(200, 2) };

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'chorus-sim-secure-'));
});

const flags = { clients: '8', fraction: '0.5', rounds: '2', hashBits: '10', localEpochs: '2', lr: '0.05' };

async function simulate(name: string, extra: Record<string, string>): Promise<RoundRecord[]> {
  const out = path.join(root, name);
  const resolved = resolveSimulationConfig({ flags: { ...flags, ...extra, out }, sets: ['partition.kind=iid'] });
  await runSimulation(resolved, data);
  return (await readFile(path.join(out, 'rounds.jsonl'), 'utf8')).trim().split('\n').map((line) => JSON.parse(line) as RoundRecord);
}

describe('chorus simulate --secure-aggregation', () => {
  it('sums a round through the whole protocol to the plain sum of the clipped updates, within the quantization bound', async () => {
    const rng = new Rng(3);
    const deltas = Array.from({ length: 5 }, () => Float32Array.from({ length: 300 }, () => (rng.next() - 0.5) * 4));
    const clipNorm = 10;
    const { sum, bytesUp } = await secureRoundSum('r1', deltas, [0, 1, 2, 3, 4], clipNorm, 7);
    const clipped = deltas.map((d) => clipToNorm(d, clipNorm));
    let worst = 0;
    for (let i = 0; i < 300; i++) worst = Math.max(worst, Math.abs(sum[i] - clipped.reduce((s, d) => s + d[i], 0)));
    expect(worst).toBeLessThanOrEqual(sumErrorBound(ringScale(clipNorm, 5), 5));
    // Some updates were clipped (norm ~ 40): the sum is of the clipped ones, not the raw ones.
    expect(Math.hypot(...deltas[0])).toBeGreaterThan(clipNorm);
    for (const bytes of bytesUp) expect(bytes).toBeGreaterThan(300 * 4);
  });

  it('runs the rounds on the secure sum: the accuracy of the plain mean, 4 bytes a value up, a repeatable run', async () => {
    // Equal IID shards and a clip above every update: FedAvg's weighted mean and the secure mean are the same mean.
    const plain = await simulate('plain', {});
    const secure = await simulate('secure', { secureAggregation: 'true', secaggClip: '1000' });
    const again = await simulate('secure-again', { secureAggregation: 'true', secaggClip: '1000' });
    expect(secure.map((r) => r.round)).toEqual([1, 2]);
    secure.forEach((r, k) => {
      expect(Math.abs((r.testAccuracy ?? NaN) - (plain[k].testAccuracy ?? NaN))).toBeLessThanOrEqual(0.01);
      expect(r.testAccuracy).toBe(again[k].testAccuracy);
      // Every client sent its masked update of 2^10 + 1 uint32 words, with keys and shares.
      expect(r.bytesUp).toBeGreaterThan(r.results * 4 * (2 ** 10 + 1));
    });
  }, 90_000);

  it('--min-cohort: a round with fewer masked updates unmasks nothing and installs no model', async () => {
    // 8 clients at q = 0.5: a round asks 4, never 9, so round 1 fails and the experiment stops saying why.
    await expect(simulate('min-cohort', { secureAggregation: 'true', minCohort: '9' })).rejects.toThrow(/round 1 failed.*unmasks no sum of fewer than --min-cohort 9; 4 masked/);
    // At the default (3) the same federation completes its rounds.
    const records = await simulate('min-cohort-3', { secureAggregation: 'true', minCohort: '3' });
    expect(records.map((r) => r.round)).toEqual([1, 2]);
  }, 90_000);

  it('refuses what needs single updates, and central DP', () => {
    const out = path.join(tmpdir(), 'unused');
    const resolve = (extra: Record<string, string>) => () => resolveSimulationConfig({ flags: { ...flags, out, secureAggregation: 'true', ...extra }, sets: [] });
    expect(resolve({ aggregator: 'median' })).toThrow(/--aggregator median does not combine with --secure-aggregation/);
    expect(resolve({ dp: 'central', dpNoiseMultiplier: '1', dpClip: '1' })).toThrow(/--dp central does not combine/);
    expect(resolve({ transport: 'socket' })).toThrow(/in-process transport only/);
    expect(resolve({ dp: 'distributed', dpNoiseMultiplier: '1', dpClip: '1', dpTargetQuantile: '0.5' })).toThrow(/--dp-target-quantile \(adaptive clipping\) does not combine with --secure-aggregation/);
    expect(resolve({})).not.toThrow();
  });
});
