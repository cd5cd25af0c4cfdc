import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { finishedRunRounds } from './finished-run.ts';

/**
 * Issue 11's privacy table from the runs of docs/research/dp-table.sh: one row per run (no privacy; central and
 * distributed noise at ε 8, 4, 1), with the ε its accountant reported after the last round, the noise multiplier,
 * and the test accuracy (final, and the mean of the last five rounds: noise makes single rounds jumpy).
 */
interface RoundLine {
  round: number;
  testAccuracy: number | null;
  privacy?: { mode: string; epsilon: number | null; noiseMultiplier: number; clipNorm: number; samplingRate: number };
  sampled?: number;
}

export interface PrivacyRow {
  name: string;
  mode: string;
  epsilon: number | null;
  noiseMultiplier: number | null;
  finalAccuracy: number;
  last5Accuracy: number;
  rounds: number;
  meanCohort: number;
}

/** The row of one run from its round records. */
export function rowFromRounds(name: string, rounds: readonly RoundLine[]): PrivacyRow {
  const evaluated = rounds.filter((r) => r.testAccuracy !== null);
  if (evaluated.length === 0) throw new Error(`${name}: no evaluated round`);
  const last = rounds[rounds.length - 1];
  const last5 = evaluated.slice(-5);
  return {
    name,
    mode: last.privacy?.mode ?? 'none',
    epsilon: last.privacy ? last.privacy.epsilon : null,
    noiseMultiplier: last.privacy?.noiseMultiplier ?? null,
    finalAccuracy: evaluated[evaluated.length - 1].testAccuracy as number,
    last5Accuracy: last5.reduce((s, r) => s + (r.testAccuracy as number), 0) / last5.length,
    rounds: last.round,
    meanCohort: rounds.reduce((s, r) => s + (r.sampled ?? 0), 0) / rounds.length,
  };
}

const pct = (x: number) => `${(100 * x).toFixed(2)} %`;

/** The markdown table, rows in the order given. */
export function renderPrivacyTable(rows: readonly PrivacyRow[]): string {
  const lines = [
    '| run | noise | z | ε after the last round (δ 1e-5) | final acc | mean acc, last 5 | rounds | clients a round (mean) |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const r of rows) {
    const epsilon = r.mode === 'none' ? '—' : r.epsilon === null ? '∞' : r.epsilon.toFixed(3);
    lines.push(`| ${r.name} | ${r.mode} | ${r.noiseMultiplier ?? '—'} | ${epsilon} | ${pct(r.finalAccuracy)} | ${pct(r.last5Accuracy)} | ${r.rounds} | ${r.meanCohort.toFixed(1)} |`);
  }
  return lines.join('\n');
}

function main(argv: string[]): void {
  const [dir] = argv;
  if (!dir) throw new Error('usage: tsx bench/dp-table.ts RUNS_DIR');
  const names = ['none', 'central-eps8', 'distributed-eps8', 'central-eps4', 'distributed-eps4', 'central-eps1', 'distributed-eps1'];
  const rows: PrivacyRow[] = [];
  for (const name of names) {
    const rounds = finishedRunRounds<RoundLine>(path.join(dir, name));
    if (rounds) rows.push(rowFromRounds(name, rounds));
    else process.stderr.write(`${name}: missing or unfinished, left out\n`);
  }
  process.stdout.write(`${renderPrivacyTable(rows)}\n`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) main(process.argv.slice(2));
