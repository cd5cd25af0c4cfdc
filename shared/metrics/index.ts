/** Evaluation metrics and SVG charts for Chorus experiments. Isomorphic: no DOM, no file system. */
export { classificationMetrics, type ClassificationMetrics } from './classification.ts';
export { rocAuc, rocCurve, type RocCurve } from './roc.ts';
export { downsampleRoc } from './roc-downsample.ts';
export {
  lineChartSvg,
  type LegendPosition,
  type LineChartOptions,
  type LineSeries,
  type ReferenceLine,
} from './svg/line-chart.ts';
export { rocChartSvg, type RocChartCurve, type RocChartOptions } from './svg/roc-chart.ts';
export { OKABE_ITO } from './svg/palette.ts';
