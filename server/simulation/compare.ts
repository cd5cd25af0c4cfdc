import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { updateBoundSchema } from '../federation/aggregation/update-bound.ts';
import { stepBoundSchema } from '../federation/strategies/step-bound.ts';
import { lineChartSvg } from '../../shared/metrics/svg/line-chart.ts';
import { metricLabels, metricSeries, type PlottableMetric } from './charts.ts';
import type { RoundRecord } from './round-record.ts';
import { RUN_FILES } from './run-files.ts';

const nullableNumber = z.number().nullable();

/** Local-training fields the table shows; runs from older versions lack the newer ones. */
const localSchema = z
  .object({
    epochs: z.number(),
    batchSize: z.number().optional(),
    optimizer: z.string().optional(),
    learningRate: z.number().optional(),
    learningRateDecay: z.number().optional(),
    logitAdjust: z.number().optional(),
    classBalance: z.boolean().optional(),
    adamEpsilon: z.number().optional(),
  })
  .loose();

/** The parts of a run directory `compare` reads; other fields may exist and are ignored. */
const configFileSchema = z.object({
  /** `codec` is absent in runs from before codecs: those sent bare float32. */
  options: z.object({ clients: z.number(), fraction: z.number(), rounds: z.number(), local: localSchema, codec: z.string().optional() }).loose(),
  resolved: z.object({
    partition: z.object({ kind: z.string(), alpha: z.number().optional(), labelsPerClient: z.number().optional() }).loose(),
    strategy: z.object({ name: z.string(), options: z.record(z.string(), z.unknown()).optional() }).loose(),
    /** What clients ran after the strategy's adjustments (FedSGD forces one epoch). */
    localTraining: localSchema.optional(),
  }).loose(),
});

const summaryFileSchema = z.object({
  rounds: z.number(),
  finalAccuracy: nullableNumber,
  bestAccuracy: nullableNumber,
  finalAuc: nullableNumber,
  roundsToAccuracy: z.record(z.string(), nullableNumber),
  secondsPerRound: z.number(),
});

const recordSchema = z.object({ round: z.number().int().min(1) }).loose();

export interface LoadedRun {
  dir: string;
  label: string;
  config: z.infer<typeof configFileSchema>;
  summary: z.infer<typeof summaryFileSchema>;
  records: RoundRecord[];
}

/** Reads a run directory written by `chorus simulate`, naming the file and problem when something is off. */
export async function loadRun(dir: string): Promise<LoadedRun> {
  const config = parseFile(configFileSchema, await readJson(dir, RUN_FILES.config), path.join(dir, RUN_FILES.config));
  const summary = parseFile(summaryFileSchema, await readJson(dir, RUN_FILES.summary), path.join(dir, RUN_FILES.summary));
  const text = await readText(dir, RUN_FILES.rounds);
  const records = text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line, i) => {
      try {
        return recordSchema.parse(JSON.parse(line)) as unknown as RoundRecord;
      } catch {
        throw new Error(`${path.join(dir, RUN_FILES.rounds)} line ${i + 1} is not a round record`);
      }
    });
  return { dir, label: path.basename(path.resolve(dir)), config, summary, records };
}

/** A markdown table, one row per run: what was run and how it did. */
export function compareTable(runs: readonly LoadedRun[]): string {
  const header = ['run', 'strategy', 'partition', 'clients', 'local training', 'rounds', 'final acc', 'best acc', 'mean acc, last 10', 'fed acc, last 10', 'AUC', 'rounds to 0.88', 'time/round', 'codec', 'up/client-round', 'down/client-round'];
  const rows = runs.map((run) => {
    const { options, resolved } = run.config;
    const s = run.summary;
    return [
      run.label,
      strategyLabel(resolved.strategy),
      partitionLabel(resolved.partition),
      `${options.clients} (C = ${options.fraction})`,
      localLabel({ ...options.local, ...resolved.localTraining, learningRateDecay: options.local.learningRateDecay }),
      String(s.rounds),
      pct(s.finalAccuracy),
      pct(s.bestAccuracy),
      pct(tailMean(run.records, 'testAccuracy', 10)),
      pct(tailMean(run.records, 'federatedAccuracy', 10)),
      s.finalAuc === null ? '–' : s.finalAuc.toFixed(4),
      roundsTo(s.roundsToAccuracy['0.88'], s.rounds),
      `${s.secondsPerRound.toFixed(2)} s`,
      options.codec ?? 'float32',
      bytesLabel(perClientRound(run.records, 'bytesUp', 'results')),
      bytesLabel(perClientRound(run.records, 'bytesDown', 'sampled')),
    ];
  });
  const line = (cells: string[]) => `| ${cells.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`;
  return [line(header), line(header.map((_, i) => (i < 3 ? '---' : '---:'))), ...rows.map(line)].join('\n');
}

/** The chosen metric per round for every run on one chart. */
export function compareChartSvg(runs: readonly LoadedRun[], metric: PlottableMetric, title?: string): string {
  const series = runs.map((run) => metricSeries(run.label, run.records, metric)).filter((s) => s.x.length > 0);
  if (series.length === 0) throw new Error(`no run has any ${metric} values to plot`);
  return lineChartSvg({ title: title ?? `${metricLabels[metric]} per round`, xLabel: 'round', yLabel: metricLabels[metric], series });
}

/**
 * Mean of a metric over the last `n` rounds that have it: with label-skewed clients the final round's figure
 * depends on which clients that round sampled, so the tail mean is the steadier comparison.
 */
export function tailMean(records: readonly RoundRecord[], metric: 'testAccuracy' | 'federatedAccuracy', n: number): number | null {
  const values = records.slice(-n).map((r) => r[metric]).filter((v): v is number => typeof v === 'number');
  return values.length > 0 ? values.reduce((a, b) => a + b, 0) / values.length : null;
}

/**
 * Mean bytes per client-round over the run: up per accepted update (`results`), down per sampled client (each was
 * sent the request and the model, whether or not it answered).
 */
export function perClientRound(records: readonly RoundRecord[], bytes: 'bytesUp' | 'bytesDown', per: 'results' | 'sampled'): number | null {
  const clients = records.reduce((n, r) => n + r[per], 0);
  return clients > 0 ? records.reduce((n, r) => n + r[bytes], 0) / clients : null;
}

/** Bytes in decimal units, three significant digits: "4.19 MB", "172 kB", "950 B". */
export function bytesLabel(bytes: number | null): string {
  if (bytes === null) return '–';
  const [value, unit] = bytes >= 1e6 ? [bytes / 1e6, 'MB'] : bytes >= 1e3 ? [bytes / 1e3, 'kB'] : [bytes, 'B'];
  return `${unit === 'B' ? Math.round(value) : value.toPrecision(3)} ${unit}`;
}

/** Greek letters of the papers, so a table row says which server settings it ran with. */
const optionSymbols: Record<string, string> = { serverLearningRate: 'η', momentum: 'β', mu: 'μ', tau: 'τ', beta1: 'β1', beta2: 'β2', clipNorm: 'clip' };

/** The strategy and its options, e.g. "fedavgm η 0.3, β 0.7". */
function strategyLabel(strategy: { name: string; options?: Record<string, unknown> }): string {
  const { updateNormMultiple, updateNormFloor, updateNormCeiling, updateNormWindow, maxUpdateNorm, stepBoundMultiple, ...own } = strategy.options ?? {};
  const options = Object.entries(own).map(([key, value]) => `${optionSymbols[key] ?? key} ${String(value)}`);
  const bound = boundLabel({ multiple: updateNormMultiple, floor: updateNormFloor, ceiling: updateNormCeiling, window: updateNormWindow, maxNorm: maxUpdateNorm });
  if (bound) options.push(bound);
  // The step bound, like the norm bound, only where it departs from the default.
  if (stepBoundMultiple !== undefined && stepBoundMultiple !== stepBoundSchema.parse({}).multiple) options.push(`step bound ${String(stepBoundMultiple)}×`);
  return options.length > 0 ? `${strategy.name} ${options.join(', ')}` : strategy.name;
}

/** The update bound, only where it departs from the default (every run has one, so the default would be noise). */
function boundLabel(bound: Record<'multiple' | 'floor' | 'ceiling' | 'window' | 'maxNorm', unknown>): string | null {
  if (bound.maxNorm !== undefined) return `bound ≤${String(bound.maxNorm)}`;
  if (bound.multiple === undefined) return null;
  const { multiple, floor, ceiling, window } = updateBoundSchema.parse({});
  const same = bound.multiple === multiple && bound.floor === floor && bound.ceiling === ceiling && bound.window === window;
  return same ? null : `bound ${String(bound.multiple)}×median [${String(bound.floor)}, ${String(bound.ceiling)}] of ${String(bound.window)}`;
}

/** E, B, optimizer and learning rate, then whatever departs from plain local training, e.g. "E5 B32 adam 0.05, LA τ2". */
function localLabel(local: z.infer<typeof localSchema>): string {
  const parts = [`E${local.epochs}`];
  if (local.batchSize !== undefined) parts.push(local.batchSize === 0 ? 'full batch' : `B${local.batchSize}`);
  if (local.optimizer !== undefined) parts.push(local.optimizer);
  if (local.learningRate !== undefined) parts.push(String(local.learningRate));
  const extras: string[] = [];
  if (local.learningRateDecay !== undefined && local.learningRateDecay !== 1) extras.push(`lr ×${local.learningRateDecay}/round`);
  if (local.logitAdjust) extras.push(`LA τ${local.logitAdjust}`);
  if (local.classBalance) extras.push('class-balanced');
  if (local.adamEpsilon !== undefined) extras.push(`ε ${local.adamEpsilon}`);
  return [parts.join(' '), ...extras].join(', ');
}

function partitionLabel(spec: { kind: string; alpha?: number; labelsPerClient?: number }): string {
  if (spec.alpha !== undefined) return `${spec.kind} α=${spec.alpha}`;
  if (spec.labelsPerClient !== undefined) return `${spec.kind} ×${spec.labelsPerClient}`;
  return spec.kind;
}

function pct(x: number | null): string {
  return x === null ? '–' : `${(x * 100).toFixed(2)}%`;
}

/** A round number, or "> N" when the run never got there in its N rounds (a lower bound, not a failure to report). */
function roundsTo(round: number | null | undefined, rounds: number): string {
  return round === null || round === undefined ? `> ${rounds}` : String(round);
}

function parseFile<S extends z.ZodType>(schema: S, value: unknown, file: string): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const problems = result.error.issues.map((i) => `${i.path.join('.') || '(file)'}: ${i.message}`).join('; ');
  throw new Error(`${file} is not what \`chorus simulate\` writes: ${problems}`);
}

async function readText(dir: string, name: string): Promise<string> {
  const file = path.join(dir, name);
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new Error(`${file}: ${code === 'ENOENT' ? 'missing (is this a finished `chorus simulate` run directory?)' : code}`);
  }
}

async function readJson(dir: string, name: string): Promise<unknown> {
  const text = await readText(dir, name);
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`${path.join(dir, name)} is not valid JSON`);
  }
}
