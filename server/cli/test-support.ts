/**
 * Helpers for the CLI tests (tests only): run the `chorus` CLI as a process, as a user would (the unit run's bundle
 * of it, else bin/chorus.js: testing/cli-entry.ts), on generated data in a temporary folder.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { syntheticReviews } from '../../shared/train/test-fixtures.ts';
import { cliEntry } from '../serve/testing/cli-entry.ts';

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the CLI and resolves with its exit code and output, whatever the code. The environment points the data
 * cache at an empty folder, turns off `chorus serve`'s download, clears CHORUS_DATA and points the shared-archive fallback at nothing, so no test can
 * silently use a real dataset.
 */
export function runChorus(args: string[], emptyCacheDir: string): Promise<CliRun> {
  const env = {
    ...process.env,
    CHORUS_CACHE: emptyCacheDir,
    CHORUS_DATA: '',
    CHORUS_IMDB: join(emptyCacheDir, 'no-shared-archive.tar.gz'),
    CHORUS_DEBUG: '',
    // Never fetch the real archive from a test.
    CHORUS_NO_DOWNLOAD: '1',
    NO_COLOR: '1',
  };
  return new Promise((done) => {
    execFile(process.execPath, [cliEntry(), ...args], { cwd: projectRoot, env, timeout: 60_000, maxBuffer: 16 << 20 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      done({ code, stdout, stderr });
    });
  });
}

export async function makeCliTempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'chorus-cli-'));
}

export async function removeCliTempDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

/** Writes `n` generated reviews as JSONL (labels 0/1) and as CSV (labels "negative"/"positive"); returns both paths. */
export async function writeReviewFiles(dir: string, n: number, seed: number): Promise<{ jsonl: string; csv: string }> {
  const reviews = syntheticReviews(n, seed);
  const jsonl = join(dir, 'reviews.jsonl');
  const csv = join(dir, 'reviews.csv');
  await writeFile(jsonl, reviews.map((r) => JSON.stringify({ text: r.text, label: r.label })).join('\n') + '\n');
  await writeFile(csv, ['id,text,label', ...reviews.map((r, i) => `${i},"${r.text}",${r.label === 1 ? 'positive' : 'negative'}`)].join('\n') + '\n');
  return { jsonl, csv };
}

/** The first line a failed command printed on stderr, and whether anything looked like a stack trace. */
export function errorLine(run: CliRun): { first: string; hasStack: boolean } {
  return { first: run.stderr.split('\n')[0], hasStack: /^\s+at /m.test(run.stderr) };
}
