import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { perClientRound, tailMean } from '../server/simulation/compare.ts';
import type { RoundRecord } from '../server/simulation/round-record.ts';

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

/** A run's codec and its round records (rounds.jsonl), the first `lastRound` of them. */
export interface CodecRun {
  codec: string;
  records: RoundRecord[];
}

const configSchema = z.object({ options: z.object({ codec: z.string().optional() }).loose() }).loose();
const recordSchema = z.object({ round: z.number().int().min(1), testAccuracy: z.number().nullable(), testAuc: z.number().nullable(), sampled: z.number(), results: z.number(), bytesUp: z.number(), bytesDown: z.number() }).loose();

/**
 * Reads a `chorus simulate` run directory, finished or not (rounds.jsonl grows a line a round), so that a table can
 * compare every codec at the same round when the slowest runs have not reached the last one yet.
 */
export async function readCodecRun(dir: string, lastRound = Infinity): Promise<CodecRun> {
  const config = configSchema.parse(JSON.parse(await readFile(path.join(dir, 'config.json'), 'utf8')));
  const records = (await readFile(path.join(dir, 'rounds.jsonl'), 'utf8'))
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line, i) => {
      const parsed = recordSchema.safeParse(JSON.parse(line));
      if (!parsed.success) throw new Error(`${path.join(dir, 'rounds.jsonl')} line ${i + 1} is not a round record: ${parsed.error.message}`);
      return parsed.data as unknown as RoundRecord;
    })
    .filter((r) => r.round <= lastRound);
  return { codec: config.options.codec ?? 'float32', records };
}

export function codecRow(run: CodecRun): CodecRow {
  const up = perClientRound(run.records, 'bytesUp', 'results');
  const down = perClientRound(run.records, 'bytesDown', 'sampled');
  const last = run.records.at(-1);
  const last5 = tailMean(run.records, 'testAccuracy', 5);
  if (up === null || down === null || !last || last.testAccuracy === null || last5 === null) throw new Error(`the ${run.codec} run has no accepted update or no evaluated last round`);
  return { codec: run.codec, bytesUp: up, bytesDown: down, finalAccuracy: last.testAccuracy, last5Accuracy: last5, finalAuc: last.testAuc, rounds: last.round };
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
  const unequal = rows.find((r) => r.rounds !== reference.rounds);
  if (unequal) throw new Error(`the ${unequal.codec} run has ${unequal.rounds} rounds, float32 ${reference.rounds}: compare them at one round (--rounds)`);
  const header = '| codec | bytes up per client-round | share of float32 | bytes down per client-round | test accuracy after round ' + reference.rounds + ' | Δ (points) | mean, last 5 rounds | Δ last 5 | AUC | meets the goal |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---|';
  const lines = rows.map((r) => {
    const share = r.bytesUp / reference.bytesUp;
    const lost = reference.finalAccuracy - r.finalAccuracy;
    const meets = r.codec === 'float32' ? '(reference)' : share <= 0.1 && lost <= 0.002 ? 'yes' : 'no';
    return `| \`${r.codec}\` | ${bytes(r.bytesUp)} | ${share.toFixed(3)} | ${bytes(r.bytesDown)} | ${percent(r.finalAccuracy)} | ${points(r.finalAccuracy - reference.finalAccuracy)} | ${percent(r.last5Accuracy)} | ${points(r.last5Accuracy - reference.last5Accuracy)} | ${r.finalAuc === null ? '–' : r.finalAuc.toFixed(4)} | ${meets} |`;
  });
  return `${header}\n${lines.join('\n')}\n`;
}

// `npx tsx bench/codec-table.ts [--rounds R] DIR…` (docs/research/codec-table.sh): the table of the given runs, read
// up to round R (default: all their rounds), on stdout.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values, positionals } = parseArgs({ options: { rounds: { type: 'string' } }, allowPositionals: true });
  const lastRound = values.rounds === undefined ? Infinity : z.coerce.number().int().min(1).parse(values.rounds);
  if (positionals.length === 0) {
    process.stderr.write('usage: tsx bench/codec-table.ts [--rounds R] RUN_DIR…\n');
    process.exit(1);
  }
  const rows = await Promise.all(positionals.map(async (dir) => codecRow(await readCodecRun(dir, lastRound))));
  process.stdout.write(renderCodecTable(rows));
}
