import { lineChartSvg } from '../../../shared/metrics/svg/line-chart.ts';
import type { RoundRecord } from '../round-record.ts';

/** Accuracy levels whose simulated time `chorus compare` reports for clock runs (issue 13 asks for 88 % and 89 %). */
export const timeThresholds = [0.88, 0.89] as const;

/**
 * Simulated seconds until the first evaluated version at or above `threshold`; null when the run never got there.
 * With central evaluation every K versions this is an upper bound within K versions' time.
 */
export function timeToAccuracy(records: readonly RoundRecord[], threshold: number): number | null {
  return records.find((r) => r.simSeconds !== undefined && r.testAccuracy !== null && r.testAccuracy >= threshold)?.simSeconds ?? null;
}

/** A clock run's totals: simulated time, local trainings (and how many were lost or cancelled), bytes. */
export function clockTotals(records: readonly RoundRecord[]) {
  const sum = (key: 'clientUpdates' | 'dropouts' | 'cancelled' | 'refused' | 'bytesUp' | 'bytesDown') => records.reduce((n, r) => n + (r[key] ?? 0), 0);
  return {
    simSeconds: records.at(-1)?.simSeconds ?? null,
    clientUpdates: sum('clientUpdates'),
    dropouts: sum('dropouts'),
    cancelled: sum('cancelled'),
    refused: sum('refused'),
    bytesUp: sum('bytesUp'),
    bytesDown: sum('bytesDown'),
  };
}

/** "1 h 05 min", "12.5 min", "40 s": simulated durations as people read them. */
export function durationLabel(seconds: number | null): string {
  if (seconds === null) return '–';
  if (seconds < 60) return `${seconds.toFixed(0)} s`;
  if (seconds < 3600) return `${(seconds / 60).toFixed(1)} min`;
  const hours = Math.floor(seconds / 3600);
  return `${hours} h ${String(Math.round((seconds - hours * 3600) / 60)).padStart(2, '0')} min`;
}

/** The clock runs among `runs` as a markdown table: time to each threshold, versions, updates, bytes, final accuracy. */
export function clockTable(runs: readonly { label: string; records: readonly RoundRecord[] }[], bytes: (n: number | null) => string): string | null {
  const timed = runs.filter((run) => run.records.some((r) => r.simSeconds !== undefined));
  if (timed.length === 0) return null;
  // A clock run's totals reach gigabytes, which the per-round label does not scale to.
  const total = (n: number | null) => (n !== null && n >= 1e9 ? `${(n / 1e9).toPrecision(3)} GB` : bytes(n));
  const header = ['run', 'mode', 'versions', ...timeThresholds.map((t) => `time to ${(t * 100).toFixed(0)}%`), 'simulated time', 'final acc', 'client updates', 'lost offline', 'cancelled', 'refused', 'bytes up', 'bytes down'];
  const rows = timed.map((run) => {
    const totals = clockTotals(run.records);
    const last = run.records.at(-1);
    return [
      run.label,
      last?.mode ?? '–',
      String(run.records.length),
      ...timeThresholds.map((t) => durationLabel(timeToAccuracy(run.records, t))),
      durationLabel(totals.simSeconds),
      last?.testAccuracy === null || last === undefined ? '–' : `${(last.testAccuracy * 100).toFixed(2)}%`,
      String(totals.clientUpdates),
      String(totals.dropouts),
      String(totals.cancelled),
      String(totals.refused),
      total(totals.bytesUp),
      total(totals.bytesDown),
    ];
  });
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map((_, i) => (i < 2 ? '---' : '---:'))), ...rows.map(line)].join('\n');
}

/** Central test accuracy against simulated time (minutes), one line per clock run. */
export function timeChartSvg(runs: readonly { label: string; records: readonly RoundRecord[] }[], title = 'test accuracy against simulated time'): string {
  const series = runs
    .map((run) => {
      const points = run.records.filter((r) => r.simSeconds !== undefined && r.testAccuracy !== null);
      return { name: run.label, x: points.map((r) => (r.simSeconds as number) / 60), y: points.map((r) => r.testAccuracy as number) };
    })
    .filter((s) => s.x.length > 0);
  if (series.length === 0) throw new Error('no run has simulated time and test accuracy to plot');
  return lineChartSvg({ title, xLabel: 'simulated minutes', yLabel: 'test accuracy', series });
}
