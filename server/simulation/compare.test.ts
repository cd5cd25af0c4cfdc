import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkWellFormed } from '../../shared/metrics/svg/xml-check.ts';
import { bytesLabel, compareChartSvg, compareTable, loadRun, tailMean } from './compare.ts';
import { record } from './test-fixtures.ts';

let root: string;

/** A run directory as `chorus simulate` writes it (only the fields compare reads, plus one it must ignore). */
async function fakeRun(name: string, strategy: string, partition: Record<string, unknown>, accuracies: (number | null)[], summary: Record<string, unknown>) {
  const dir = path.join(root, name);
  await mkdir(dir, { recursive: true });
  const config = {
    format: 'chorus-simulation',
    // Runs from before codecs have no codec option: they sent bare float32.
    options: { clients: 100, fraction: 0.1, rounds: accuracies.length, local: { epochs: 5, batchSize: 32, optimizer: 'adam', learningRate: 0.05, logitAdjust: 2, learningRateDecay: 1 }, ...(strategy === 'fedavg' ? { codec: 'int8' } : {}) },
    resolved: {
      partition,
      // The default update bound is left out of the label; a fixed one is shown.
      strategy: {
        name: strategy,
        options:
          strategy === 'fedavg'
            ? { serverLearningRate: 1, clipNorm: 5, updateNormMultiple: 4, updateNormFloor: 10, updateNormCeiling: 5000, updateNormWindow: 100 }
            : { maxUpdateNorm: 50 },
      },
      ...(strategy === 'fedsgd' ? { localTraining: { epochs: 1, batchSize: 0, optimizer: 'sgd', learningRate: 4, logitAdjust: 0 } } : {}),
    },
    environment: { node: 'v20' },
  };
  await writeFile(path.join(dir, 'config.json'), JSON.stringify(config));
  await writeFile(path.join(dir, 'summary.json'), JSON.stringify(summary));
  const bytes = (round: number) => (strategy === 'fedsgd' && round === accuracies.length ? { bytesUp: 5000 } : {});
  await writeFile(path.join(dir, 'rounds.jsonl'), accuracies.map((a, i) => JSON.stringify(record(i + 1, { testAccuracy: a, ...bytes(i + 1) }))).join('\n') + '\n');
  return dir;
}

let fedavg: string;
let fedsgd: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'chorus-compare-'));
  fedavg = await fakeRun('fedavg-e5', 'fedavg', { kind: 'dirichlet', alpha: 0.5 }, [0.8, 0.885, 0.9], {
    rounds: 3, finalAccuracy: 0.9, bestAccuracy: 0.9, finalAuc: 0.96512, roundsToAccuracy: { '0.88': 2 }, secondsPerRound: 2.345,
  });
  fedsgd = await fakeRun('fedsgd', 'fedsgd', { kind: 'shards', labelsPerClient: 2 }, [0.5, null, 0.7], {
    rounds: 3, finalAccuracy: 0.7, bestAccuracy: 0.7, finalAuc: null, roundsToAccuracy: { '0.88': null }, secondsPerRound: 0.5,
  });
});

describe('compareTable', () => {
  it('prints one markdown row per run', async () => {
    const runs = [await loadRun(fedavg), await loadRun(fedsgd)];
    expect(compareTable(runs)).toBe(
      [
        '| run | strategy | partition | clients | local training | rounds | final acc | best acc | mean acc, last 10 | fed acc, last 10 | AUC | rounds to 0.88 | time/round | codec | up/client-round | down/client-round |',
        '| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
        // means over the rounds that have the metric: (0.8 + 0.885 + 0.9) / 3 = 86.17%; (0.5 + 0.7) / 2 = 60%
        // bytes: 40 up per round over 2 results, 80 down over 2 sampled (the fixture's records); 5,000 up in fedsgd's last round
        '| fedavg-e5 | fedavg η 1, clip 5 | dirichlet α=0.5 | 100 (C = 0.1) | E5 B32 adam 0.05, LA τ2 | 3 | 90.00% | 90.00% | 86.17% | 50.00% | 0.9651 | 2 | 2.35 s | int8 | 20 B | 40 B |',
        '| fedsgd | fedsgd bound ≤50 | shards ×2 | 100 (C = 0.1) | E1 full batch sgd 4 | 3 | 70.00% | 70.00% | 60.00% | 50.00% | – | > 3 | 0.50 s | float32 | 847 B | 40 B |',
      ].join('\n'),
    );
  });
});

describe('bytesLabel', () => {
  it('prints decimal units with three significant digits', () => {
    expect([bytesLabel(950), bytesLabel(172_400), bytesLabel(4_194_370), bytesLabel(null)]).toEqual(['950 B', '172 kB', '4.19 MB', '–']);
  });
});

describe('tailMean', () => {
  it('averages the last n rounds, skipping rounds without the metric', () => {
    const records = [record(1, { testAccuracy: 0.1 }), record(2, { testAccuracy: 0.6 }), record(3, { testAccuracy: null }), record(4, { testAccuracy: 0.8 })];
    expect(tailMean(records, 'testAccuracy', 3)).toBeCloseTo(0.7, 12);
    expect(tailMean(records, 'testAccuracy', 10)).toBeCloseTo(0.5, 12);
    expect(tailMean([record(1, { federatedAccuracy: null })], 'federatedAccuracy', 5)).toBeNull();
  });
});

describe('compareChartSvg', () => {
  it('overlays one series per run, skipping rounds without the metric', async () => {
    const runs = [await loadRun(fedavg), await loadRun(fedsgd)];
    const svg = compareChartSvg(runs, 'testAccuracy', 'FedAvg vs FedSGD');
    expect(checkWellFormed(svg).get('svg')).toBe(1);
    expect(svg).toContain('FedAvg vs FedSGD');
    expect(svg).toContain('fedavg-e5');
    expect(svg).toContain('fedsgd');
  });

  it('refuses to draw a metric no run has', async () => {
    const run = await loadRun(fedsgd);
    run.records = run.records.map((r) => ({ ...r, testAuc: null }));
    expect(() => compareChartSvg([run], 'testAuc')).toThrow(/no run has any testAuc values/);
  });
});

describe('loadRun', () => {
  it('names a missing file', async () => {
    const dir = path.join(root, 'empty');
    await mkdir(dir);
    await expect(loadRun(dir)).rejects.toThrow(/empty\/config\.json: missing/);
  });

  it('names a malformed file and line', async () => {
    const dir = await fakeRun('broken', 'fedavg', { kind: 'iid' }, [0.5], {
      rounds: 1, finalAccuracy: 0.5, bestAccuracy: 0.5, finalAuc: 0.5, roundsToAccuracy: {}, secondsPerRound: 1,
    });
    await writeFile(path.join(dir, 'rounds.jsonl'), '{"round": 1}\nnot json\n');
    await expect(loadRun(dir)).rejects.toThrow(/rounds\.jsonl line 2 is not a round record/);
    await writeFile(path.join(dir, 'summary.json'), '{"rounds": "three"}');
    await expect(loadRun(dir)).rejects.toThrow(/summary\.json is not what `chorus simulate` writes: rounds: Invalid input/);
  });
});
