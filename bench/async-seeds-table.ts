import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { finishedRunRounds } from './finished-run.ts';

/**
 * Issue 13's per-seed comparison (docs/async.md) from the runs of docs/research/async-table.sh: for each seed, async
 * FedBuff's and synchronous K = 50's time to a test accuracy, the bracket that time lies in (the evaluation that first
 * read it, and the one before), their ratio with its bracket, and each run's accuracy at its budget's end.
 *   npx tsx bench/async-seeds-table.ts runs/async
 */
interface RoundLine {
  simSeconds?: number;
  testAccuracy: number | null;
}

/** When an evaluation first read at least `threshold`, and when the evaluation before it was made. */
export interface TimeTo {
  seconds: number;
  /** The evaluation before: the true time lies in (before, seconds]. */
  before: number;
}

export function timeTo(rounds: readonly RoundLine[], threshold: number): TimeTo | null {
  const evaluated = rounds.filter((r) => r.testAccuracy !== null && r.simSeconds !== undefined);
  const i = evaluated.findIndex((r) => (r.testAccuracy as number) >= threshold);
  if (i < 0) return null;
  return { seconds: evaluated[i].simSeconds as number, before: i > 0 ? (evaluated[i - 1].simSeconds as number) : 0 };
}

/** The accuracy of the last evaluation at or before `seconds` of simulated time (a run's budget ends with one). */
export function accuracyAt(rounds: readonly RoundLine[], seconds: number): number | null {
  let found: number | null = null;
  for (const r of rounds) {
    if (r.testAccuracy === null || r.simSeconds === undefined) continue;
    if (r.simSeconds > seconds + 1) break; // the budget's own round ends just past it
    found = r.testAccuracy;
  }
  return found;
}

export interface SeedRow {
  seed: number;
  async: TimeTo | null;
  sync: TimeTo | null;
  asyncAtBudget: number | null;
  syncAtBudget: number | null;
  /** The synchronous run to twice the budget, when one was made. */
  syncAtLongBudget: number | null;
}

const seconds = (t: TimeTo | null) => (t ? `${t.seconds.toFixed(1)} s` : '–');
const pct = (x: number | null) => (x === null ? '–' : `${(100 * x).toFixed(2)} %`);

export function renderSeedTable(rows: readonly SeedRow[], threshold: number): string {
  const at = Math.round(100 * threshold);
  const lines = [
    `| seed | async: time to ${at} % | sync K = 50: time to ${at} % | ratio (bracket) | async at 120 s | sync K = 50 at 120 s | sync K = 50 at 240 s |`,
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const r of rows) {
    const ratio = r.async && r.sync ? `**${(r.async.seconds / r.sync.seconds).toFixed(2)}** (${(r.async.before / r.sync.seconds).toFixed(2)}–${(r.async.seconds / r.sync.before).toFixed(2)})` : '–';
    lines.push(`| ${r.seed} | ${seconds(r.async)} | ${seconds(r.sync)} | ${ratio} | ${pct(r.asyncAtBudget)} | ${pct(r.syncAtBudget)} | ${pct(r.syncAtLongBudget)} |`);
  }
  return lines.join('\n');
}

function main(argv: string[]): void {
  const [dir] = argv;
  if (!dir) throw new Error('usage: tsx bench/async-seeds-table.ts RUNS_DIR');
  const threshold = 0.89;
  const rows: SeedRow[] = [];
  for (const seed of [0, 1, 2]) {
    const suffix = seed === 0 ? '' : `-seed${seed}`;
    const asyncRun = finishedRunRounds<RoundLine>(path.join(dir, `async-k20-c100${suffix}`));
    const syncRun = finishedRunRounds<RoundLine>(path.join(dir, `sync-k50${suffix}`));
    if (!asyncRun || !syncRun) {
      process.stderr.write(`seed ${seed}: a run is missing or unfinished, left out\n`);
      continue;
    }
    // The 240 s run has the same records up to 120 s (the clock is deterministic) and goes on: the time to the
    // threshold comes from it when the 120 s run did not get there.
    const longRun = seed === 0 ? null : finishedRunRounds<RoundLine>(path.join(dir, `sync-k50${suffix}-240s`));
    rows.push({
      seed,
      async: timeTo(asyncRun, threshold),
      sync: timeTo(syncRun, threshold) ?? (longRun ? timeTo(longRun, threshold) : null),
      asyncAtBudget: accuracyAt(asyncRun, 120),
      syncAtBudget: accuracyAt(syncRun, 120),
      syncAtLongBudget: longRun ? accuracyAt(longRun, 240) : null,
    });
  }
  process.stdout.write(`${renderSeedTable(rows, threshold)}\n`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) main(process.argv.slice(2));
