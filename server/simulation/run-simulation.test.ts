import { mkdtemp, readFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkWellFormed } from '../../shared/metrics/svg/xml-check.ts';
import { loadModelDir } from '../model-store/model-dir.ts';
import { resolveSimulationConfig } from './resolve-config.ts';
import { wallClockFields, type RoundRecord } from './round-record.ts';
import { runSimulation, type SimulationData } from './run-simulation.ts';
import { syntheticReviews } from './test-fixtures.ts';

const data: SimulationData = { path: 'generated.jsonl', format: 'jsonl', split: 'holdout', train: syntheticReviews(600, 1), test: syntheticReviews(200, 2) };
const buckets = 1 << 12;

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'chorus-sim-'));
});

/** A small federated run: 6 clients, half of them per round, 2^12 buckets. */
async function simulate(name: string, sets: string[] = []) {
  const out = path.join(root, name);
  const resolved = resolveSimulationConfig({
    flags: { out, clients: '6', fraction: '0.5', rounds: '3', hashBits: '12', localEpochs: '2', lr: '0.05' },
    sets,
  });
  const outcome = await runSimulation(resolved, data);
  return { out, outcome, records: await readRecords(out) };
}

async function readRecords(dir: string): Promise<RoundRecord[]> {
  const text = await readFile(path.join(dir, 'rounds.jsonl'), 'utf8');
  return text.trim().split('\n').map((line) => JSON.parse(line) as RoundRecord);
}

function withoutClock(records: RoundRecord[]): Record<string, unknown>[] {
  return records.map((r) => Object.fromEntries(Object.entries(r).filter(([key]) => !(wallClockFields as readonly string[]).includes(key))));
}

describe('runSimulation reproducibility', () => {
  it('gives identical round metrics for the same seed, and different ones for another seed', async () => {
    const first = await simulate('seed7-a', ['seed=7']);
    const second = await simulate('seed7-b', ['seed=7']);
    const other = await simulate('seed8', ['seed=8']);
    expect(first.records).toHaveLength(3);
    expect(withoutClock(second.records)).toEqual(withoutClock(first.records));
    expect(withoutClock(other.records)).not.toEqual(withoutClock(first.records));
    // The partition itself depends on the seed as well.
    const clients = async (dir: string) => JSON.parse(await readFile(path.join(dir, 'clients.json'), 'utf8'));
    expect(await clients(second.out)).toEqual(await clients(first.out));
    expect(await clients(other.out)).not.toEqual(await clients(first.out));
  });
});

describe('runSimulation outputs', () => {
  it('writes every file, parseable and consistent with the run', async () => {
    const { out, outcome, records } = await simulate('outputs', ['partition.kind=iid', 'fraction=1', 'saveModel=true']);
    expect((await readdir(out)).sort()).toEqual(['accuracy.svg', 'clients.json', 'config.json', 'model', 'roc.svg', 'rounds.jsonl', 'summary.json']);

    const config = JSON.parse(await readFile(path.join(out, 'config.json'), 'utf8'));
    expect(config.format).toBe('chorus-simulation');
    expect(config.options).toMatchObject({ clients: 6, fraction: 1, rounds: 3, hashBits: 12, seed: 0, partition: { kind: 'iid' } });
    expect(config.resolved).toMatchObject({ partition: { kind: 'iid' }, strategy: { name: 'fedavg', options: {} }, clientsPerRound: 6, paramCount: buckets + 1 });
    expect(config.resolved.localTraining).toEqual({ epochs: 2, batchSize: 32, learningRate: 0.05, optimizer: 'adam', seed: 0, mu: 0, l2: 0, classBalance: false, logitAdjust: 0 });
    expect(config.data).toEqual({ path: path.resolve('generated.jsonl'), format: 'jsonl', split: 'holdout', train: 600, test: 200 });
    expect(config.environment).toMatchObject({ node: process.version, tfjs: '4.22.0', backend: 'wasm', chorus: '0.1.0' });

    const clients = JSON.parse(await readFile(path.join(out, 'clients.json'), 'utf8'));
    expect(clients.clients).toHaveLength(6);
    expect(clients.clients.reduce((n: number, c: { size: number }) => n + c.size, 0)).toBe(600);
    for (const c of clients.clients) expect(c.positives + c.negatives).toBe(c.size);
    expect(clients.summary).toMatchObject({ numClients: 6, totalExamples: 600, minSize: 100, maxSize: 100 });

    // Every client is sampled each round (fraction 1): 6 downloads of the weights ((2^12 + 1) float32 params, plus
    // the request's JSON with the manifest), and in round 1 only the 2^12 uint32 document frequencies too (clients
    // keep them: they never change after the statistics round); 6 deltas up with their fields, row-sparse (the
    // default codec): 8 bytes for each row a client moved, fewer than the dense 4 bytes per bucket.
    const positives = data.train.filter((e) => e.label === 1).length;
    for (const r of records) {
      expect(r.selected).toEqual(clients.clients.map((c: { id: string }) => c.id));
      expect(r.positiveShare).toBeCloseTo(positives / 600, 12);
      expect(r).toMatchObject({ sampled: 6, results: 6, failures: 0 });
      const files = 6 * ((buckets + 1) * 4 + (r.round === 1 ? buckets * 4 : 0));
      expect(r.bytesDown).toBeGreaterThan(files + 6 * 1000);
      expect(r.bytesDown).toBeLessThan(files + 6 * 5000);
      expect(r.bytesUp).toBeGreaterThan(6 * (12 + 4 + 8 * 10 + 4 + 100));
      expect(r.bytesUp).toBeLessThan(6 * (buckets + 1) * 4);
      // 10 % of each 100-example client is held out: 90 train, 10 evaluate the received model.
      expect(r.examples).toBe(540);
      for (const key of ['trainLoss', 'testAccuracy', 'testAuc', 'testLoss', 'federatedAccuracy', 'clientAccuracyMean', 'clientAccuracyP10'] as const) {
        expect(r[key]).toBeTypeOf('number');
      }
      expect(r.clientAccuracyP10 as number).toBeLessThanOrEqual(r.clientAccuracyMean as number);
    }
    // The signal is clear and the data IID: the model learns it.
    expect(records[2].testAccuracy).toBeGreaterThan(0.9);

    const summary = JSON.parse(await readFile(path.join(out, 'summary.json'), 'utf8'));
    expect(summary).toMatchObject({ label: 'outputs', strategy: 'fedavg', rounds: 3, finalAccuracy: records[2].testAccuracy });
    expect(summary).toEqual(JSON.parse(JSON.stringify({ label: 'outputs', strategy: 'fedavg', partition: { kind: 'iid' }, ...outcome.summary })));

    for (const svg of ['accuracy.svg', 'roc.svg']) {
      const text = await readFile(path.join(out, svg), 'utf8');
      expect(checkWellFormed(text).get('svg')).toBe(1);
    }
    expect(await readFile(path.join(out, 'accuracy.svg'), 'utf8')).toContain('federated accuracy');

    const model = await loadModelDir(path.join(out, 'model'));
    expect(model.manifest.modelVersion).toBe(3);
    expect(model.manifest.provenance).toMatchObject({ source: 'federated', round: 3, strategy: 'fedavg', clients: 6 });
    expect(model.docFreq.numDocs).toBe(600); // the federated statistics step counted every training review
  });

  it('evaluates centrally every K rounds and after the last', async () => {
    const { records } = await simulate('eval-every', ['evalEvery=2']);
    expect(records.map((r) => r.testAccuracy === null)).toEqual([true, false, false]);
    expect(records.every((r) => r.federatedAccuracy !== null)).toBe(true);
  });

  it('runs a strategy whose client config differs (FedSGD: one full-batch SGD step)', async () => {
    const { out, records } = await simulate('fedsgd', ['strategy.name=fedsgd', 'local.learningRate=5', 'local.optimizer=sgd']);
    const config = JSON.parse(await readFile(path.join(out, 'config.json'), 'utf8'));
    expect(config.resolved.strategy.name).toBe('fedsgd');
    expect(config.resolved.localTraining).toMatchObject({ epochs: 1, batchSize: 0, optimizer: 'sgd', learningRate: 5 });
    expect(records).toHaveLength(3);
    expect(records.every((r) => r.results === 3)).toBe(true);
  });
});
