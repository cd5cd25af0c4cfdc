import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveSimulationConfig } from './resolve-config.ts';
import type { RoundRecord } from './round-record.ts';
import { runSimulation, type SimulationData } from './run-simulation.ts';
import { syntheticReviews } from './test-fixtures.ts';

const data: SimulationData = { path: 'generated.jsonl', format: 'jsonl', split: 'holdout', train: syntheticReviews(600, 1), test: syntheticReviews(200, 2) };

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'chorus-attack-'));
});

/** 6 clients on IID shards (honest updates alike, so robust statistics have a cluster to find), all sampled every round, 2 of them attacking when `attack` is given; 2^12 buckets, 3 rounds. */
async function simulate(name: string, flags: Record<string, string> = {}) {
  const out = path.join(root, name);
  const resolved = resolveSimulationConfig({ flags: { out, clients: '6', fraction: '1', rounds: '3', hashBits: '12', localEpochs: '2', lr: '0.05', partition: 'iid', ...flags } });
  await runSimulation(resolved, data);
  const text = await readFile(path.join(out, 'rounds.jsonl'), 'utf8');
  const records = text.trim().split('\n').map((line) => JSON.parse(line) as RoundRecord);
  const config = JSON.parse(await readFile(path.join(out, 'config.json'), 'utf8')) as { options: Record<string, unknown> };
  return { records, config, last: records.at(-1) as RoundRecord };
}

describe('chorus simulate --attackers', () => {
  it('records the attackers; the default bound refuses a constant attack, and the model stays as good as a clean run', async () => {
    const clean = await simulate('clean');
    const attacked = await simulate('constant', { attackers: '2', attack: 'constant' });
    expect(attacked.config.options).toMatchObject({ attackers: 2, attack: 'constant' });
    for (const record of attacked.records) {
      expect(record.attackers).toHaveLength(2);
      expect(record.updateBound?.refused).toEqual({ 'norm-over-bound': 2 });
      expect(record.results).toBe(4);
    }
    expect(clean.records[0].attackers).toBeUndefined();
    // Measured: 0.995 both (IID shards: the four honest clients' data is enough).
    expect(attacked.last.testAccuracy as number).toBeGreaterThanOrEqual((clean.last.testAccuracy as number) - 0.05);
  }, 120_000);

  it('a sign-flip attack inside the bound hurts the mean; median, trimmed mean and multi-Krum resist it', async () => {
    // −1.5 × the honest delta: a norm ~1.5× the honest ones, inside the adaptive bound (4× the median).
    const signFlip = (extra: Record<string, string> = {}) => ({ attackers: '2', attack: 'sign-flip', attackScale: '1.5', ...extra });
    const clean = (await simulate('clean-2')).last.testAccuracy as number;
    const mean = await simulate('sign-flip-mean', signFlip());
    expect(mean.records.every((r) => r.results === 6)).toBe(true); // nothing refused
    const meanAccuracy = mean.last.testAccuracy as number;
    // Measured on this data: clean 0.995, mean 0.595, median 0.925, trimmed mean (β 0.34) 0.925, multi-Krum (f 2) 0.995.
    expect(meanAccuracy).toBeLessThan(clean - 0.2);
    for (const [name, flags] of [
      ['median', { aggregator: 'median' }],
      ['trimmed', { aggregator: 'trimmed-mean', trimBeta: '0.34' }],
      ['krum', { aggregator: 'krum', krumF: '2' }],
    ] as const) {
      const robust = (await simulate(`sign-flip-${name}`, signFlip(flags))).last.testAccuracy as number;
      expect(robust, name).toBeGreaterThan(meanAccuracy + 0.2);
    }
  }, 120_000);

  it('refuses gaussian noise of a large norm: in round 1 by the step bound, once the norm bound has a history by both', async () => {
    // N(0, 1) over 4,097 parameters: a norm of ≈ 64, under round 1's ceiling, over 4 × the honest median (≈ 3.3) after;
    // its largest coordinate (≈ 3.5) is over what the attacker's local steps allow (1.5 × η × steps), round 1 included.
    const { records } = await simulate('gaussian', { attackers: '1', attack: 'gaussian' });
    expect(records[0].updateBound?.refused).toEqual({ 'coordinate-over-step-bound': 1 });
    expect(records.slice(1).map((r) => r.updateBound?.refused)).toEqual([{ 'norm-over-bound': 1 }, { 'norm-over-bound': 1 }]);
    // Without the step bound, round 1 had no defence against it.
    const unbounded = await simulate('gaussian-no-step-bound', { attackers: '1', attack: 'gaussian', stepBound: 'off' });
    expect(unbounded.records[0].updateBound?.refused).toEqual({});
  }, 120_000);

  it('the validation filter scores label-flip updates below the honest ones and drops them', async () => {
    // 100 training reviews held out as the server's set; Zeno drops the 2 lowest of each round's 6 updates.
    const { records, config } = await simulate('label-flip-zeno', { attackers: '2', attack: 'label-flip', validationFilter: 'zeno', validationExamples: '100', zenoDrop: '2' });
    expect(config.options).toMatchObject({ validationExamples: 100, strategy: { validationFilter: 'zeno', zenoDrop: 2 } });
    for (const record of records) {
      const scores = record.validationScores;
      expect(scores?.attackers).toHaveLength(2);
      expect(scores?.honest).toHaveLength(4);
      // Flipped labels raise the loss on correctly labelled reviews; honest IID updates lower it.
      expect(Math.max(...(scores?.attackers ?? []))).toBeLessThan(0);
      expect(Math.min(...(scores?.honest ?? []))).toBeGreaterThan(0);
      expect(scores).toMatchObject({ droppedAttackers: 2, droppedHonest: 0 });
      expect(record.updateBound?.validationFilter).toMatchObject({ examples: 100, drop: 2, dropped: 2 });
    }
  }, 120_000);

  it('refuses attackers over sockets and more attackers than clients', () => {
    expect(() => resolveSimulationConfig({ flags: { out: 'o', attackers: '1', transport: 'socket' } })).toThrow(/in-process transport only/);
    expect(() => resolveSimulationConfig({ flags: { out: 'o', clients: '3', minClients: '1', attackers: '4' } })).toThrow(/more than --clients 3/);
    expect(() => resolveSimulationConfig({ flags: { out: 'o', attack: 'poison' } })).toThrow(/attack/);
  });
});
