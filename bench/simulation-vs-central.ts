import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { loadDataset } from '../server/data/dataset.ts';
import { findSharedImdb, sharedImdbPath } from '../server/data/source.ts';
import { trainCentral } from '../server/train/central-training.ts';
import { useNodeBackend } from '../shared/model/node-backends.ts';
import { emit, progress, significant } from './report.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** docs/research/README.md (a), seed 0: its final test accuracy was 90.00 % before sparse training. */
const RESEARCH_A = ['--clients', '100', '--fraction', '0.1', '--rounds', '30', '--partition', 'dirichlet', '--alpha', '0.5', '--strategy', 'fedavg', '--local-epochs', '5', '--lr', '0.05', '--batch', '32', '--logit-adjust', '2', '--seed', '0'];

const simulationSummary = z.object({ finalAccuracy: z.number(), secondsPerRound: z.number(), totalSeconds: z.number() });
const trainOutput = z.object({ accuracy: z.number(), seconds: z.record(z.string(), z.number()) });

/**
 * Issue 12's goal for sparse training: the 100-client × 30-round simulation within 3× the wall time of `chorus
 * train`, measured in the same run, each as a user runs it (a fresh process that reads the archive). Then
 * `trainCentral` itself, sparse against dense (its default), in this process: the central baseline touches nearly
 * every bucket, so this says whether it gains or loses by the compact model. Skipped without the archive.
 */
export async function simulationVsCentral(): Promise<void> {
  const archive = findSharedImdb();
  if (!archive) {
    progress(`skipping simulation-vs-central: IMDB archive not found at ${sharedImdbPath()}`);
    return;
  }
  const out = await mkdtemp(join(tmpdir(), 'chorus-bench-'));
  try {
    progress('running `chorus simulate`, docs/research (a), seed 0');
    const simulate = await timed(['simulate', '--data', archive, ...RESEARCH_A, '--out', join(out, 'simulation')]);
    const summary = simulationSummary.parse(JSON.parse(await readFile(join(out, 'simulation', 'summary.json'), 'utf8')));
    emit({ bench: 'simulation-wall', value: significant(simulate.seconds), unit: 's', finalAccuracy: summary.finalAccuracy, secondsPerRound: significant(summary.secondsPerRound), setup: 'docs/research (a), seed 0' });

    progress('running `chorus train` (defaults)');
    const central = await timed(['train', '--data', archive, '--out', join(out, 'central'), '--json']);
    const result = trainOutput.parse(JSON.parse(central.stdout));
    emit({ bench: 'central-wall', value: significant(central.seconds), unit: 's', accuracy: result.accuracy });
    emit({ bench: 'simulation-vs-central-wall-ratio', value: significant(simulate.seconds / central.seconds), unit: 'x', numerator: 'chorus simulate (a)', denominator: 'chorus train', goal: 3, simulationAccuracy: summary.finalAccuracy, centralAccuracy: result.accuracy });
  } finally {
    await rm(out, { recursive: true, force: true });
  }

  const dataset = await loadDataset(archive);
  await useNodeBackend('wasm');
  const seconds: Record<string, number> = {};
  const accuracy: Record<string, number> = {};
  for (const mode of ['sparse', 'dense'] as const) {
    progress(`trainCentral, ${mode}`);
    const run = await trainCentral({ train: dataset.train, test: dataset.test, sparse: mode === 'sparse' });
    seconds[mode] = run.seconds.train;
    accuracy[mode] = run.test.accuracy;
    emit({ bench: 'central-train-seconds', value: significant(run.seconds.train), unit: 's', mode, accuracy: run.test.accuracy, backend: 'wasm' });
  }
  emit({ bench: 'central-sparse-speedup', value: significant(seconds.dense / seconds.sparse), unit: 'x', numerator: 'dense train seconds', denominator: 'sparse train seconds', sameAccuracy: accuracy.dense === accuracy.sparse });
}

/** `node bin/chorus.js ARGS` to completion, its stderr (progress) passed through; fails on a non-zero exit. */
function timed(args: string[]): Promise<{ stdout: string; seconds: number }> {
  const started = performance.now();
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [join(root, 'bin', 'chorus.js'), ...args], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.on('error', fail);
    child.on('close', (code) => {
      if (code === 0) done({ stdout, seconds: (performance.now() - started) / 1000 });
      else fail(new Error(`chorus ${args.join(' ')} exited with status ${code}`));
    });
  });
}
