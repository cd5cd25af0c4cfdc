import fs from 'node:fs';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';

/**
 * The cost table of docs/privacy.md from the JSON lines of `npm run bench -- --only secagg`: one row per model size,
 * cohort and dropout, the plain round's figures beside the secure round's (they were measured side by side, under
 * the same load), and the mask generators' speed. Lines that are not the secagg bench's figures are skipped, so
 * npm's banner or other benches' output in the same file do no harm.
 *   npm run bench -- --only secagg > /tmp/secagg.jsonl && npx tsx bench/secagg-table.ts /tmp/secagg.jsonl
 */
const figure = z.object({ bench: z.string(), value: z.number(), clients: z.number().optional(), length: z.number().optional(), load1: z.number().optional() }).passthrough();
type Figure = z.infer<typeof figure>;

const secureFigure = figure.extend({
  clients: z.number(),
  length: z.number(),
  dropped: z.number(),
  neighbours: z.number(),
  threshold: z.number(),
  bytesUp: z.number().optional(),
  bytesDown: z.number().optional(),
});

export interface SecaggRow {
  length: number;
  clients: number;
  dropped: number;
  neighbours: number;
  threshold: number;
  plainClientMs: number;
  secureClientMs: number;
  plainServerMs: number;
  secureServerMs: number;
  plainBytesUp: number;
  secureBytesUp: number;
  secureBytesDown: number;
  load: number;
}

/** Parses the bench's output: every line that is a JSON object with a `bench` field; anything else is skipped. */
export function parseFigures(text: string): Figure[] {
  const figures: Figure[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim().startsWith('{')) continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      continue;
    }
    const parsed = figure.safeParse(value);
    if (parsed.success && parsed.data.bench.startsWith('secagg-')) figures.push(parsed.data);
  }
  return figures;
}

/** Joins each secure round's figures with the plain round of the same size and cohort. */
export function secaggRows(figures: readonly Figure[]): SecaggRow[] {
  const key = (f: { length?: number; clients?: number }) => `${f.length}/${f.clients}`;
  const plainClient = new Map(figures.filter((f) => f.bench === 'secagg-plain-client').map((f) => [key(f), f]));
  const plainServer = new Map(figures.filter((f) => f.bench === 'secagg-plain-server').map((f) => [key(f), f]));
  const secureServer = new Map(
    figures.filter((f) => f.bench === 'secagg-secure-server').map((f) => {
      const s = secureFigure.parse(f);
      return [`${key(s)}/${s.dropped}`, s];
    }),
  );
  const rows: SecaggRow[] = [];
  for (const f of figures.filter((x) => x.bench === 'secagg-secure-client')) {
    const client = secureFigure.parse(f);
    const pc = plainClient.get(key(client));
    const ps = plainServer.get(key(client));
    const ss = secureServer.get(`${key(client)}/${client.dropped}`);
    if (!pc || !ps || !ss) throw new Error(`secagg: no plain or server figure for ${client.clients} clients, ${client.length} values, ${client.dropped} dropped`);
    rows.push({
      length: client.length,
      clients: client.clients,
      dropped: client.dropped,
      neighbours: client.neighbours,
      threshold: client.threshold,
      plainClientMs: pc.value,
      secureClientMs: client.value,
      plainServerMs: ps.value,
      secureServerMs: ss.value,
      plainBytesUp: z.number().parse(pc.bytesUp),
      secureBytesUp: client.bytesUp ?? 0,
      secureBytesDown: client.bytesDown ?? 0,
      // The load when the row's secure server figure was taken: the row's last measurement.
      load: Math.round(ss.load1 ?? 0),
    });
  }
  return rows;
}

/** A figure as the docs print it: thousands separated, the bench's significant digits kept. */
export function formatNumber(value: number): string {
  return value.toLocaleString('en-US', { maximumFractionDigits: 6 });
}

/** The model as `2^b + 1` when its length is a power of two plus the bias, else the length. */
function modelName(length: number): string {
  const bits = Math.log2(length - 1);
  return Number.isInteger(bits) ? `2^${bits} + 1` : String(length);
}

export function renderSecaggTable(rows: readonly SecaggRow[]): string {
  const lines = [
    '| model | clients | dropped after sharing | neighbours k, threshold t | client ms, plain → secure | server ms, plain → secure | bytes up per client, plain → secure | bytes down per client, secure | load |',
    '| --- | ---: | ---: | --- | --- | --- | --- | ---: | ---: |',
  ];
  const n = formatNumber;
  for (const r of rows) {
    lines.push(
      `| ${modelName(r.length)} | ${r.clients} | ${r.dropped} | ${r.neighbours}, ${r.threshold} | ${n(r.plainClientMs)} → ${n(r.secureClientMs)} | ${n(r.plainServerMs)} → ${n(r.secureServerMs)} | ${n(r.plainBytesUp)} → ${n(r.secureBytesUp)} | ${n(r.secureBytesDown)} | ${r.load} |`,
    );
  }
  return lines.join('\n');
}

/** One line per mask generator: its speed and the time of one expansion. */
export function renderPrgLines(figures: readonly Figure[]): string {
  return figures
    .filter((f) => f.bench === 'secagg-prg')
    .map((f) => `${String(f.prg)}: ${formatNumber(Number(f.ms))} ms for ${formatNumber(Number(f.words))} words (${formatNumber(f.value)} MB/s), load ${f.load1 ?? '?'}`)
    .join('\n');
}

function main(argv: string[]): void {
  const [file] = argv;
  if (!file) throw new Error('usage: tsx bench/secagg-table.ts BENCH_OUTPUT.jsonl   (npm run bench -- --only secagg > BENCH_OUTPUT.jsonl)');
  const figures = parseFigures(fs.readFileSync(file, 'utf8'));
  if (figures.length === 0) throw new Error(`${file}: no secagg figures (run npm run bench -- --only secagg > ${file})`);
  process.stdout.write(`${renderSecaggTable(secaggRows(figures))}\n\n${renderPrgLines(figures)}\n`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) main(process.argv.slice(2));
