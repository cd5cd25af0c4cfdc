import { lineChartSvg, type LineSeries } from '../../shared/metrics/svg/line-chart.ts';
import { rocChartSvg } from '../../shared/metrics/svg/roc-chart.ts';
import type { RoundRecord } from './round-record.ts';

/** Numeric per-round fields a chart or a comparison can plot. */
export const plottableMetrics = [
  'testAccuracy',
  'federatedAccuracy',
  'clientAccuracyMean',
  'clientAccuracyP10',
  'testAuc',
  'testLoss',
  'trainLoss',
  'wallSeconds',
] as const;
export type PlottableMetric = (typeof plottableMetrics)[number];

/** One metric per round as a chart series; rounds where it is null (not evaluated) are skipped, not drawn as gaps. */
export function metricSeries(name: string, records: readonly RoundRecord[], metric: PlottableMetric, style: Partial<LineSeries> = {}): LineSeries {
  const points = records.filter((r) => r[metric] !== null && Number.isFinite(r[metric]));
  return { name, x: points.map((r) => r.round), y: points.map((r) => r[metric] as number), ...style };
}

/** accuracy.svg: central test accuracy, federated (held-out) accuracy and the 10th-percentile client per round. */
export function accuracyChartSvg(title: string, records: readonly RoundRecord[]): string {
  const series = [
    metricSeries('test accuracy (central)', records, 'testAccuracy'),
    metricSeries('federated accuracy', records, 'federatedAccuracy'),
    metricSeries('client accuracy, 10th pct', records, 'clientAccuracyP10', { dashed: true }),
  ].filter((s) => s.x.length > 0);
  return lineChartSvg({ title, xLabel: 'round', yLabel: 'accuracy', series, legend: 'inside-bottom-right' });
}

/** roc.svg: the final model's ROC on the test split. */
export function finalRocSvg(name: string, roc: { fpr: number[]; tpr: number[]; auc: number }): string {
  return rocChartSvg({ title: 'ROC of the final model on the test split', curves: [{ name, fpr: roc.fpr, tpr: roc.tpr, auc: roc.auc }] });
}
