import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { findSharedImdb, sharedImdbPath } from '../server/data/source.ts';
import { emit, progress, significant } from './report.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const PYTHON = '/usr/bin/python3';

const chorusOutput = z.object({ accuracy: z.number(), auc: z.number(), seconds: z.record(z.string(), z.number()) });
const sklearnOutput = z.object({ accuracy: z.number(), auc: z.number(), features: z.number(), seconds: z.record(z.string(), z.number()) });

/**
 * End-to-end wall time on the real archive, each tool run as a user would run it (a fresh process that reads the
 * .tar.gz, featurizes, trains and scores the 25,000 test reviews): `chorus train` with its defaults against
 * scikit-learn's TF-IDF (uni+bigrams, sublinear) + logistic regression. Skipped without the archive; the
 * scikit-learn half is skipped without Debian's python3-sklearn.
 */
export async function chorusVsSklearn(): Promise<void> {
  const archive = findSharedImdb();
  if (!archive) {
    progress(`skipping chorus-vs-sklearn: IMDB archive not found at ${sharedImdbPath()}`);
    return;
  }
  const out = await mkdtemp(join(tmpdir(), 'chorus-bench-'));
  let chorus: { seconds: number; accuracy: number };
  try {
    progress('running `chorus train` on the real archive (default settings)');
    const run = await timed(process.execPath, [join(root, 'bin', 'chorus.js'), 'train', '--data', archive, '--out', out, '--json']);
    const result = chorusOutput.parse(JSON.parse(run.stdout));
    chorus = { seconds: run.seconds, accuracy: result.accuracy };
    const phases = Object.fromEntries(Object.entries(result.seconds).map(([k, v]) => [k, significant(v)]));
    emit({ bench: 'chorus-train-wall', value: significant(run.seconds), unit: 's', accuracy: result.accuracy, auc: significant(result.auc), phases });
    emit({ bench: 'chorus-train-accuracy', value: result.accuracy, unit: 'fraction', split: 'imdb-test' });
  } finally {
    await rm(out, { recursive: true, force: true });
  }

  if (spawnSync(PYTHON, ['-c', 'import sklearn'], { stdio: 'ignore' }).status !== 0) {
    progress(`skipping the scikit-learn baseline: \`${PYTHON} -c "import sklearn"\` failed (apt-get install python3-sklearn)`);
    return;
  }
  progress('running the scikit-learn baseline on the same archive');
  const run = await timed(PYTHON, [join(root, 'bench', 'sklearn_baseline.py'), archive]);
  const sklearn = sklearnOutput.parse(JSON.parse(run.stdout));
  const version = spawnSync(PYTHON, ['-c', 'import sklearn; print(sklearn.__version__)'], { encoding: 'utf8' }).stdout.trim();
  const phases = Object.fromEntries(Object.entries(sklearn.seconds).map(([k, v]) => [k, significant(v)]));
  const model = 'TfidfVectorizer(ngram_range=(1,2), sublinear_tf, min_df=2) + LogisticRegression(C=10, liblinear)';
  emit({ bench: 'sklearn-train-wall', value: significant(run.seconds), unit: 's', accuracy: sklearn.accuracy, auc: significant(sklearn.auc), features: sklearn.features, phases, model, sklearn: version });
  emit({ bench: 'sklearn-train-accuracy', value: sklearn.accuracy, unit: 'fraction', split: 'imdb-test' });
  emit({
    bench: 'chorus-vs-sklearn-wall-ratio',
    value: significant(chorus.seconds / run.seconds),
    unit: 'x',
    numerator: 'chorus train',
    denominator: 'scikit-learn',
    chorusAccuracy: chorus.accuracy,
    sklearnAccuracy: sklearn.accuracy,
  });
}

/** Runs a command to completion, its stderr (progress) passed through; fails on a non-zero exit. */
function timed(command: string, args: string[]): Promise<{ stdout: string; seconds: number }> {
  const started = performance.now();
  return new Promise((done, fail) => {
    const child = spawn(command, args, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.on('error', fail);
    child.on('close', (code) => {
      if (code === 0) done({ stdout, seconds: (performance.now() - started) / 1000 });
      else fail(new Error(`${command} ${args.join(' ')} exited with status ${code}`));
    });
  });
}
