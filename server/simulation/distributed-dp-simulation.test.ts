import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { PrivacyAccountant } from '../../shared/privacy/accountant.ts';
import { resolveSimulationConfig } from './resolve-config.ts';
import { wallClockFields, type RoundRecord } from './round-record.ts';
import { runSimulation, type SimulationData } from './run-simulation.ts';
import { syntheticReviews } from './test-fixtures.ts';

const data: SimulationData = { path: 'generated.jsonl', format: 'jsonl', split: 'holdout', train: syntheticReviews(600, 1), test: syntheticReviews(200, 2) };

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'chorus-sim-ddp-'));
});

async function simulate(name: string, dp: string[]) {
  const out = path.join(root, name);
  const flags = { out, clients: '8', fraction: '0.5', rounds: '3', hashBits: '10', localEpochs: '2', lr: '0.05', dpNoiseMultiplier: '1', dpClip: '1' };
  const resolved = resolveSimulationConfig({ flags: { ...flags, ...Object.fromEntries(dp.map((d) => d.split('='))) }, sets: ['partition.kind=iid'] });
  await runSimulation(resolved, data);
  return (await readFile(path.join(out, 'rounds.jsonl'), 'utf8')).trim().split('\n').map((line) => JSON.parse(line) as RoundRecord);
}

const withoutClock = (records: RoundRecord[]) => records.map((r) => Object.fromEntries(Object.entries(r).filter(([key]) => !(wallClockFields as readonly string[]).includes(key))));

describe('chorus simulate --dp distributed', () => {
  it('has the virtual clients noise their updates, accounts ε as central mode does, and repeats for a seed', async () => {
    const distributed = await simulate('distributed-a', ['dp=distributed']);
    const again = await simulate('distributed-b', ['dp=distributed']);
    const central = await simulate('central', ['dp=central']);
    const accountant = new PrivacyAccountant({ noiseMultiplier: 1, samplingRate: 0.5, delta: 1e-5 });
    distributed.forEach((r, k) => {
      expect(r.privacy).toMatchObject({ mode: 'distributed', noiseMultiplier: 1, samplingRate: 0.5, clipNorm: 1 });
      expect(r.privacy?.epsilon).toBeCloseTo(accountant.spentAfter(k + 1).epsilon, 10);
      expect(r.privacy?.epsilon).toBeCloseTo(central[k].privacy?.epsilon ?? NaN, 10);
    });
    // The clients' noise streams are seeded per virtual client: a rerun is identical.
    expect(withoutClock(again)).toEqual(withoutClock(distributed));
    // The noise is real: the model is not what central mode's (differently drawn) noise gives.
    expect(distributed.map((r) => r.testAccuracy)).not.toEqual(central.map((r) => r.testAccuracy));
  }, 60_000);

  it('adaptive clipping: the virtual clients report their bits and C moves toward the target quantile', async () => {
    // z = 0 makes the bits exact. C = 10⁻⁴ is below every update's norm: every bit is 0, the share 0, and C grows by
    // exp(0.2 × 0.5) a round.
    const clipped = await simulate('adaptive-small', ['dp=distributed', 'dpNoiseMultiplier=0', 'dpClip=0.0001', 'dpTargetQuantile=0.5']);
    clipped.forEach((r, k) => expect(r.privacy?.clipNorm).toBeCloseTo(1e-4 * Math.exp(0.1 * (k + 1)), 15));
    // C = 10⁶ is above every norm: each arriving update reports 1, so the share is the arrivals over qN = 4 (a bit
    // that did not travel would count as 0 and move C the other way).
    const within = await simulate('adaptive-large', ['dp=distributed', 'dpNoiseMultiplier=0', 'dpClip=1000000', 'dpTargetQuantile=0.5']);
    let c = 1e6;
    for (const r of within) {
      c *= Math.exp(-0.2 * (r.results / 4 - 0.5));
      expect(r.privacy?.clipNorm).toBeCloseTo(c, 6);
    }
    expect(within.some((r) => r.results > 2)).toBe(true);
  }, 60_000);
});
