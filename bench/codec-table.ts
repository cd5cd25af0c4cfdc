import { pathToFileURL } from 'node:url';
import { loadRun, perClientRound, tailMean, type LoadedRun } from '../server/simulation/compare.ts';

/** One row of issue 12's codec table: what a codec cost and what it did to accuracy, beside float32 of the same seed. */
export interface CodecRow {
  codec: string;
  bytesUp: number;
  bytesDown: number;
  finalAccuracy: number;
  last5Accuracy: number;
  finalAuc: number | null;
  rounds: number;
}

export function codecRow(run: Pick<LoadedRun, 'config' | 'summary' | 'records'>): CodecRow {
  const up = perClientRound(run.records, 'bytesUp', 'results');
  const down = perClientRound(run.records, 'bytesDown', 'sampled');
  const final = run.summary.finalAccuracy;
  const last5 = tailMean(run.records, 'testAccuracy', 5);
  if (up === null || down === null || final === null || last5 === null) throw new Error('a run with no accepted update or no evaluated round');
  return { codec: run.config.options.codec ?? 'float32', bytesUp: up, bytesDown: down, finalAccuracy: final, last5Accuracy: last5, finalAuc: run.summary.finalAuc, rounds: run.summary.rounds };
}

const bytes = (v: number): string => Math.round(v).toLocaleString('en-US');
const percent = (v: number): string => `${(100 * v).toFixed(2)} %`;
const points = (v: number): string => `${v >= 0 ? '+' : '−'}${Math.abs(100 * v).toFixed(2)}`;

/**
 * Markdown: bytes up per accepted update and down per sampled client (means over the run), the share of float32's
 * upload, final test accuracy and the mean of the last 5 rounds with their difference from float32 in points, AUC.
 * Issue 12's goal is uplink ≤ 1/10 of float32 with ≤ 0.2 points lost; the last column says which rows meet it.
 */
export function renderCodecTable(rows: readonly CodecRow[]): string {
  const reference = rows.find((r) => r.codec === 'float32');
  if (!reference) throw new Error('the table needs the float32 run: every other row is read against it');
  const header = '| codec | bytes up per client-round | share of float32 | bytes down per client-round | final test accuracy | Δ final (points) | mean, last 5 rounds | Δ last 5 | AUC | meets the goal |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---|';
  const lines = rows.map((r) => {
    const share = r.bytesUp / reference.bytesUp;
    const lost = reference.finalAccuracy - r.finalAccuracy;
    const meets = r.codec === 'float32' ? '(reference)' : share <= 0.1 && lost <= 0.002 ? 'yes' : 'no';
    return `| \`${r.codec}\` | ${bytes(r.bytesUp)} | ${share.toFixed(3)} | ${bytes(r.bytesDown)} | ${percent(r.finalAccuracy)} | ${points(r.finalAccuracy - reference.finalAccuracy)} | ${percent(r.last5Accuracy)} | ${points(r.last5Accuracy - reference.last5Accuracy)} | ${r.finalAuc === null ? '–' : r.finalAuc.toFixed(4)} | ${meets} |`;
  });
  return `${header}\n${lines.join('\n')}\n`;
}

// `npx tsx bench/codec-table.ts DIR…` (docs/research/codec-table.sh): the table of the given runs on stdout.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const dirs = process.argv.slice(2);
  if (dirs.length === 0) {
    process.stderr.write('usage: tsx bench/codec-table.ts RUN_DIR…\n');
    process.exit(1);
  }
  const rows = await Promise.all(dirs.map(async (dir) => codecRow(await loadRun(dir))));
  process.stdout.write(renderCodecTable(rows));
}
