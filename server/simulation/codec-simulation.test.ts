import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveSimulationConfig } from './resolve-config.ts';
import { wallClockFields, type RoundRecord } from './round-record.ts';
import { runSimulation, type SimulationData } from './run-simulation.ts';
import { syntheticReviews } from './test-fixtures.ts';

const data: SimulationData = { path: 'generated.jsonl', format: 'jsonl', split: 'holdout', train: syntheticReviews(600, 1), test: syntheticReviews(200, 2) };
const params = (1 << 12) + 1;

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'chorus-sim-codec-'));
});

/** 6 clients, all of them every round, 2^12 buckets, with the given codec. */
async function simulate(name: string, codec: string) {
  const out = path.join(root, name);
  const resolved = resolveSimulationConfig({ flags: { out, clients: '6', fraction: '1', rounds: '3', hashBits: '12', localEpochs: '2', lr: '0.05', codec }, sets: ['partition.kind=iid'] });
  await runSimulation(resolved, data);
  const records = (await readFile(path.join(out, 'rounds.jsonl'), 'utf8')).trim().split('\n').map((line) => JSON.parse(line) as RoundRecord);
  const config = JSON.parse(await readFile(path.join(out, 'config.json'), 'utf8'));
  return { records, config };
}

const withoutClock = (records: RoundRecord[]) => records.map((r) => Object.fromEntries(Object.entries(r).filter(([key]) => !(wallClockFields as readonly string[]).includes(key))));

describe('chorus simulate --codec', () => {
  it('sends every update through the codec: fewer bytes up, the same seed the same run, and the model still learns', async () => {
    const dense = await simulate('float32', 'float32');
    const compressed = await simulate('rs-int8-a', 'row-sparse-int8');
    const again = await simulate('rs-int8-b', 'row-sparse-int8');
    expect(dense.config.options.codec).toBe('float32');
    expect(compressed.config.options.codec).toBe('row-sparse-int8');
    // float32: 6 dense deltas (4 bytes a value, a 12-byte header) and their JSON fields.
    for (const r of dense.records) {
      expect(r.bytesUp).toBeGreaterThan(6 * (params * 4 + 12));
      expect(r.bytesUp).toBeLessThan(6 * (params * 4 + 600));
    }
    // A 90-review client moves a few hundred of the 4,096 rows: ~5 bytes each (id + int8) instead of 4 for every row.
    for (const [i, r] of compressed.records.entries()) expect(r.bytesUp).toBeLessThan(dense.records[i].bytesUp / 2);
    // Stochastic rounding is seeded per virtual client: reruns are identical.
    expect(withoutClock(again.records)).toEqual(withoutClock(compressed.records));
    expect(compressed.records[2].testAccuracy).toBeGreaterThan(0.9);
  });
});

describe('chorus simulate --codec over sockets', () => {
  it('negotiates the codec with real edge clients, whose compressed updates the server decodes and counts on the wire', async () => {
    const out = path.join(root, 'socket-rs-int8');
    const resolved = resolveSimulationConfig({
      flags: { out, transport: 'socket', clients: '4', fraction: '0.5', rounds: '2', hashBits: '12', partition: 'iid', lr: '0.05', codec: 'row-sparse-int8' },
    });
    const outcome = await runSimulation(resolved, { ...data, train: syntheticReviews(400, 5) });
    const records = (await readFile(path.join(out, 'rounds.jsonl'), 'utf8')).trim().split('\n').map((line) => JSON.parse(line) as RoundRecord);
    for (const r of records) {
      expect(r).toMatchObject({ sampled: 2, results: 2, failures: 0 });
      // Real wire bytes of two updates: well under the two dense deltas (2 × 4,097 × 4 bytes) they replace.
      expect(r.bytesUp).toBeGreaterThan(0);
      expect(r.bytesUp).toBeLessThan(params * 4);
    }
    expect(outcome.summary.finalAccuracy as number).toBeGreaterThan(0.85);
  }, 60_000);
});
