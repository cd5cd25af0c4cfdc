import { simplifiedPolylineIndices } from '../roc-downsample.ts';
import { lineChartSvg, type LineSeries } from './line-chart.ts';

/** One ROC curve to draw, e.g. from `rocCurve` plus `rocAuc`. */
export interface RocChartCurve {
  name: string;
  fpr: ArrayLike<number>;
  tpr: ArrayLike<number>;
  auc: number;
  color?: string;
}

export interface RocChartOptions {
  curves: RocChartCurve[];
  title?: string;
  /** Width and height in pixels (default 520); the plot area is square. */
  size?: number;
  /** Curves are thinned to this many points (shape-preserving) to keep the SVG small. Default 1000. */
  maxPointsPerCurve?: number;
}

/**
 * ROC curves on a square [0, 1] × [0, 1] plot with the dashed chance diagonal and a legend giving each curve's
 * AUC ("FedAvg (AUC 0.962)"). The legend sits in the lower right, which curves better than chance leave empty.
 */
export function rocChartSvg(options: RocChartOptions): string {
  const where = 'rocChartSvg';
  if (options == null || !Array.isArray(options.curves) || options.curves.length === 0) {
    throw new RangeError(`${where}: curves must be a non-empty array`);
  }
  const maxPoints = options.maxPointsPerCurve ?? 1000;
  if (!Number.isInteger(maxPoints) || maxPoints < 2) {
    throw new RangeError(`${where}: maxPointsPerCurve must be an integer >= 2 (got ${String(maxPoints)})`);
  }
  const series: LineSeries[] = options.curves.map((curve, i) => {
    const at = `${where}: curves[${i}] ("${curve?.name}")`;
    if (curve == null || typeof curve.name !== 'string') throw new TypeError(`${where}: curves[${i}].name must be a string`);
    if (curve.fpr?.length !== curve.tpr?.length || !(curve.fpr.length >= 2)) {
      throw new RangeError(`${at}: fpr and tpr must have the same length, at least 2 (got ${curve.fpr?.length} and ${curve.tpr?.length})`);
    }
    for (let k = 0; k < curve.fpr.length; k++) {
      if (!isRate(curve.fpr[k]) || !isRate(curve.tpr[k])) {
        throw new RangeError(`${at}: point ${k} (${curve.fpr[k]}, ${curve.tpr[k]}) is outside [0, 1] × [0, 1]`);
      }
    }
    if (!isRate(curve.auc)) throw new RangeError(`${at}: auc must be a number in [0, 1] (got ${String(curve.auc)})`);
    const keep = simplifiedPolylineIndices(curve.fpr, curve.tpr, maxPoints);
    return {
      name: `${curve.name} (AUC ${curve.auc.toFixed(3)})`,
      x: keep.map((k) => curve.fpr[k]),
      y: keep.map((k) => curve.tpr[k]),
      color: curve.color,
      // A ROC curve's points are thresholds, not observations; dots would only clutter it.
      markers: false,
    };
  });
  const size = options.size ?? 520;
  return lineChartSvg({
    title: options.title,
    xLabel: 'False positive rate',
    yLabel: 'True positive rate',
    series,
    width: size,
    height: size,
    xDomain: [0, 1],
    yDomain: [0, 1],
    squarePlot: true,
    referenceLines: [{ from: [0, 0], to: [1, 1], name: 'Chance' }],
    legend: 'inside-bottom-right',
  });
}

function isRate(value: number): boolean {
  return typeof value === 'number' && value >= 0 && value <= 1;
}
