import os from 'node:os';

/** One measured figure: printed as a single JSON line on stdout, so a run's output can be collected with `jq`. */
export interface Figure {
  bench: string;
  value: number;
  unit: string;
  [context: string]: unknown;
}

/**
 * Prints a figure with the machine's state beside it. The 1-minute load average is there because these machines
 * are shared: a figure measured under load is slower, and the line should say so.
 */
export function emit(figure: Figure): void {
  const machine = { node: process.version, cpus: os.availableParallelism(), load1: round(os.loadavg()[0], 2) };
  process.stdout.write(`${JSON.stringify({ ...figure, value: round(figure.value, 6), ...machine })}\n`);
}

/** Progress and skip notices for people: stderr, so stdout stays machine-readable. */
export function progress(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

export function round(value: number, digits: number): number {
  if (!Number.isFinite(value)) return value;
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

/** Rounds to 4 significant digits: enough for a throughput, and readable. */
export function significant(value: number): number {
  if (!Number.isFinite(value) || value === 0) return value;
  const digits = Math.max(0, 3 - Math.floor(Math.log10(Math.abs(value))));
  return round(value, digits);
}
