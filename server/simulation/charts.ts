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
  'testPositiveRate',
  'trainLoss',
  'positiveShare',
  'wallSeconds',
] as const;
export type PlottableMetric = (typeof plottableMetrics)[number];

/** Axis labels people read. */
export const metricLabels: Record<PlottableMetric, string> = {
  testAccuracy: 'test accuracy',
  federatedAccuracy: 'federated accuracy',
  clientAccuracyMean: 'mean client accuracy',
  clientAccuracyP10: 'client accuracy, 10th percentile',
  testAuc: 'test AUC',
  testLoss: 'test loss',
  testPositiveRate: 'share of test reviews predicted positive',
  trainLoss: 'training loss',
  positiveShare: "positive share of the round's data",
  wallSeconds: 'seconds per round',
};

/** One metric per round as a chart series; rounds where it is null (not evaluated) are skipped, not drawn as gaps. */
export function metricSeries(name: string, records: readonly RoundRecord[], metric: PlottableMetric, style: Partial<LineSeries> = {}): LineSeries {
  const points = records.filter((r) => r[metric] !== null && Number.isFinite(r[metric]));
  return { name, x: points.map((r) => r.round), y: points.map((r) => r[metric] as number), ...style };
}

/**
 * accuracy.svg: central test accuracy, federated (held-out) accuracy and the 10th-percentile client per round, and
 * the share of positive reviews among the sampled clients' examples and the share of test reviews the model
 * predicts positive (on the same 0–1 axis; the test set is half positive): under label skew the test accuracy dips
 * in rounds whose sample is far from balanced, and the predicted share shows that it is the threshold that moved.
 */
export function accuracyChartSvg(title: string, records: readonly RoundRecord[]): string {
  const series = [
    metricSeries('test accuracy (central)', records, 'testAccuracy'),
    metricSeries('federated accuracy', records, 'federatedAccuracy'),
    metricSeries('client accuracy, 10th pct', records, 'clientAccuracyP10', { dashed: true }),
    metricSeries("positive share of round's data", records, 'positiveShare', { dashed: true, color: '#8c8c8c' }),
    metricSeries('test reviews predicted positive', records, 'testPositiveRate', { dashed: true, color: '#c44e52' }),
  ].filter((s) => s.x.length > 0);
  return lineChartSvg({ title, xLabel: 'round', yLabel: 'accuracy / share', series, legend: 'right', yDomain: [0, 1] });
}

/** roc.svg: the final model's ROC on the test split. */
export function finalRocSvg(name: string, roc: { fpr: number[]; tpr: number[]; auc: number }): string {
  return rocChartSvg({ title: 'ROC of the final model on the test split', curves: [{ name, fpr: roc.fpr, tpr: roc.tpr, auc: roc.auc }] });
}
