import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorLine, makeCliTempDir, removeCliTempDir, runChorus, writeReviewFiles, type CliRun } from './test-support.ts';

let dir: string;
let data: { jsonl: string; csv: string };
let trained: CliRun;
const METRICS = ['accuracy', 'precision', 'recall', 'f1', 'auc'] as const;

beforeAll(async () => {
  dir = await makeCliTempDir();
  data = await writeReviewFiles(dir, 500, 1);
  trained = await runChorus(['train', '--data', data.jsonl, '--out', join(dir, 'run'), '--hash-bits', '12', '--epochs', '4', '--lr', '0.05', '--json'], dir);
});
afterAll(() => removeCliTempDir(dir));

function expectMetrics(value: Record<string, unknown>): void {
  for (const name of METRICS) {
    expect(typeof value[name], name).toBe('number');
    expect(value[name] as number).toBeGreaterThanOrEqual(0);
    expect(value[name] as number).toBeLessThanOrEqual(1);
  }
}

describe('chorus train', () => {
  it('writes model/, metrics.json, roc.svg and curves.svg, and prints the metrics as JSON', async () => {
    expect(trained.stderr).not.toMatch(/error/i);
    expect(trained.code).toBe(0);
    const out = join(dir, 'run');
    expect((await readdir(out)).sort()).toEqual(['curves.svg', 'metrics.json', 'model', 'roc.svg']);
    expect((await readdir(join(out, 'model'))).sort()).toEqual(['docfreq.bin', 'manifest.json', 'weights.bin']);

    const metrics = JSON.parse(await readFile(join(out, 'metrics.json'), 'utf8')) as Record<string, unknown>;
    expectMetrics(metrics);
    // 500 reviews, single file: a stratified 80/20 holdout gives 100 test reviews.
    expect(metrics.n).toBe(100);
    expect(metrics.accuracy as number).toBeGreaterThan(0.85);
    expect(metrics.history).toHaveLength(4);

    const printed = JSON.parse(trained.stdout) as Record<string, unknown>;
    expect(printed.out).toBe(out);
    expect(printed.accuracy).toBe(metrics.accuracy);

    const manifest = JSON.parse(await readFile(join(out, 'model', 'manifest.json'), 'utf8')) as { featurizer: { buckets: number } };
    expect(manifest.featurizer.buckets).toBe(4096);
    for (const svg of ['roc.svg', 'curves.svg']) expect(await readFile(join(out, svg), 'utf8')).toMatch(/^<svg[\s\S]*<\/svg>\s*$/);
  });

  it('reads CSV as well, and prints a human summary without --json', async () => {
    const run = await runChorus(['train', '--data', data.csv, '--out', join(dir, 'csv-run'), '--hash-bits', '12', '--epochs', '2'], dir);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/test accuracy \d+\.\d\d%, AUC \d\.\d{4}, F1 \d\.\d{4} in [\d.]+ s; wrote /);
    expectMetrics(JSON.parse(await readFile(join(dir, 'csv-run', 'metrics.json'), 'utf8')) as Record<string, unknown>);
  });
});

describe('chorus eval', () => {
  it('--json prints parseable JSON with every metric', async () => {
    const run = await runChorus(['eval', '--model', join(dir, 'run'), '--data', data.jsonl, '--json'], dir);
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as Record<string, unknown>;
    expectMetrics(result);
    expect(result).toMatchObject({ data: data.jsonl, split: 'all', modelVersion: 0, n: 500 });
  });

  it('prints one line of metrics without --json', async () => {
    const run = await runChorus(['eval', '--model', join(dir, 'run', 'model'), '--data', data.csv], dir);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^accuracy \d+\.\d\d% {2}precision \d\.\d{4} {2}recall \d\.\d{4} {2}F1 \d\.\d{4} {2}AUC \d\.\d{4}\n$/);
  });
});

describe('chorus predict', () => {
  it('--json gives a label and a score per text', async () => {
    const run = await runChorus(['predict', '--model', join(dir, 'run'), '--json', 'a wonderful film, I loved it', 'boring and awful, I hated it'], dir);
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as { modelVersion: number; predictions: { label: string; score: number }[] };
    expect(result.modelVersion).toBe(0);
    expect(result.predictions.map((p) => p.label)).toEqual(['positive', 'negative']);
    for (const p of result.predictions) {
      expect(p.score).toBeGreaterThan(0);
      expect(p.score).toBeLessThan(1);
    }
  });

  it('prints label, score and a preview per line without --json', async () => {
    const run = await runChorus(['predict', '--model', join(dir, 'run'), 'superb, brilliant'], dir);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^positive\t0\.\d{4}\tsuperb, brilliant\n$/);
  });

  it('fails cleanly on a model directory with a corrupt weights file', async () => {
    const { copyFile, mkdir, writeFile } = await import('node:fs/promises');
    const broken = join(dir, 'broken');
    await mkdir(broken);
    for (const f of ['manifest.json', 'docfreq.bin']) await copyFile(join(dir, 'run', 'model', f), join(broken, f));
    const weights = await readFile(join(dir, 'run', 'model', 'weights.bin'));
    weights[0] ^= 1;
    await writeFile(join(broken, 'weights.bin'), weights);
    const run = await runChorus(['predict', '--model', broken, 'hello'], dir);
    expect(run.code).toBe(1);
    const { first, hasStack } = errorLine(run);
    expect(first).toBe(`chorus: error: ${broken}: weights do not match the manifest hash (corrupt or mismatched file)`);
    expect(hasStack).toBe(false);
  });
});
