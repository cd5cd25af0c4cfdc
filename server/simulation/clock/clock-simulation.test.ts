import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveSimulationConfig } from '../resolve-config.ts';
import { wallClockFields, type RoundRecord } from '../round-record.ts';
import { runSimulation, type SimulationData } from '../run-simulation.ts';
import { syntheticReviews } from '../test-fixtures.ts';
import { clockTable, timeToAccuracy } from './time-to-accuracy.ts';

const data: SimulationData = { path: 'generated.jsonl', format: 'jsonl', split: 'holdout', train: syntheticReviews(800, 1), test: syntheticReviews(200, 2) };

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'chorus-clock-'));
});

/** 40 clients of 20 reviews at 2^10 buckets; sessions of 2 minutes on, 2 off; 10× device spread; slow links. */
async function simulate(name: string, flags: Record<string, string>, sets: string[] = []) {
  const out = path.join(root, name);
  const resolved = resolveSimulationConfig({
    flags: { out, clients: '40', fraction: '0.1', rounds: '6', hashBits: '10', localEpochs: '1', lr: '0.05', partition: 'iid', onMinutes: '2', offMinutes: '2', speedMax: '200', downlinkMbps: '0.1', uplinkMbps: '0.05', ...flags },
    sets,
  });
  await runSimulation(resolved, data);
  const text = await readFile(path.join(out, 'rounds.jsonl'), 'utf8');
  return text.trim().split('\n').map((line) => JSON.parse(line) as RoundRecord);
}

const withoutWallClock = (records: RoundRecord[]) => records.map((r) => Object.fromEntries(Object.entries(r).filter(([key]) => !(wallClockFields as readonly string[]).includes(key) && key !== 'async')));

describe('chorus simulate --mode async', () => {
  it('makes versions of K buffered updates on a simulated clock, weighs stale ones and is the same for a seed', async () => {
    const flags = { mode: 'async', bufferSize: '3', concurrency: '8', maxStaleness: '2' };
    const first = await simulate('async-a', flags);
    const again = await simulate('async-b', flags);
    expect(first).toHaveLength(6);
    expect(withoutWallClock(again)).toEqual(withoutWallClock(first));
    expect(again.map((r) => r.async)).toEqual(first.map((r) => r.async));
    const times = first.map((r) => r.simSeconds as number);
    expect(times.every((t, i) => t > 0 && (i === 0 || t >= times[i - 1]))).toBe(true);
    for (const r of first) {
      expect(r.mode).toBe('async');
      expect(r.results).toBe(3);
      expect(r.async?.stalenessMax).toBeLessThanOrEqual(2);
      // Every buffered update weighs 1/√(1 + s): the mean weight lies between that of the stalest and 1.
      expect(r.async?.weightMean).toBeGreaterThanOrEqual(1 / Math.sqrt(1 + (r.async?.stalenessMax ?? 0)) - 1e-12);
    }
    // With 8 clients at work and versions every 3 updates, some arrive after versions were made meanwhile.
    expect(first.some((r) => (r.async?.stalenessMax ?? 0) > 0)).toBe(true);
    expect(first.at(-1)?.testAccuracy).not.toBeNull();
  });

  it('refuses and counts updates beyond the maximum staleness', async () => {
    const records = await simulate('async-stale', { mode: 'async', bufferSize: '1', concurrency: '10', maxStaleness: '0' });
    const refused = records.reduce((n, r) => n + (r.refused ?? 0), 0);
    expect(refused).toBeGreaterThan(0);
    expect(records.reduce((n, r) => n + (r.async?.refused['too-stale'] ?? 0), 0)).toBe(refused);
    expect(records.every((r) => r.async?.stalenessMax === 0)).toBe(true);
  });
});

describe('chorus simulate --mode sync', () => {
  it('asks more clients than a round needs, closes at the K-th update and cancels the rest', async () => {
    const records = await simulate('sync', { mode: 'sync', overSelect: '0.5' });
    expect(records).toHaveLength(6);
    for (const r of records) {
      expect(r.mode).toBe('sync');
      // K = 10 % of 40 = 4; ⌈4 × 1.5⌉ = 6 asked.
      expect(r.sampled).toBe(6);
      expect(r.results).toBeLessThanOrEqual(4);
      expect((r.cancelled ?? 0) + (r.dropouts ?? 0)).toBeGreaterThanOrEqual(2);
    }
    const table = clockTable([{ label: 'sync', records }], (n) => String(n));
    expect(table).toMatch(/\| sync \| sync \| 6 \|/);
    expect(timeToAccuracy(records, 0)).toBe(records.find((r) => r.testAccuracy !== null)?.simSeconds);
  });

  it('times each upload at the size the codec sends, not at the dense float32 size', async () => {
    // 2^12 buckets: 20 generated reviews touch far fewer than half the rows, so row-sparse sends less than float32.
    const [dense, sparse] = await Promise.all(['float32', 'row-sparse'].map((codec) => simulate(`sync-${codec}`, { mode: 'sync', rounds: '1', hashBits: '12', codec })));
    expect(sparse[0].sampled).toBe(dense[0].sampled);
    // The same downloads but for the codec's name in each request.
    expect(Math.abs(sparse[0].bytesDown - dense[0].bytesDown)).toBeLessThan(100 * (sparse[0].sampled as number));
    expect(sparse[0].bytesUp).toBeLessThan(dense[0].bytesUp / 2);
    // Same clients, same downloads and training: only the uploads are shorter, so the round closes earlier.
    expect(sparse[0].simSeconds as number).toBeLessThan(dense[0].simSeconds as number);
  });

  it('stops at the first round or version made past the simulated-time budget, and evaluates it', async () => {
    const budget = 0.005 * 3600;
    for (const mode of ['sync', 'async']) {
      const records = await simulate(`budget-${mode}`, { mode, rounds: '10000', evalEvery: '10000', maxHours: '0.005', bufferSize: '3', concurrency: '8' });
      expect(records.length).toBeGreaterThan(1);
      const last = records.at(-1) as RoundRecord;
      expect(last.simSeconds).toBeGreaterThanOrEqual(budget);
      expect(records.at(-2)?.simSeconds).toBeLessThan(budget);
      expect(last.testAccuracy).not.toBeNull();
      expect(records.slice(0, -1).every((r) => r.testAccuracy === null)).toBe(true);
    }
  });

  it('refuses --dp with --mode async, and clock modes over sockets', () => {
    const out = path.join(root, 'refused');
    expect(() => resolveSimulationConfig({ flags: { out, mode: 'async', dp: 'central', dpNoiseMultiplier: '1', dpClip: '1' } })).toThrow(/Poisson/);
    expect(() => resolveSimulationConfig({ flags: { out, mode: 'sync', transport: 'socket' } })).toThrow(/in-process/);
  });
});
