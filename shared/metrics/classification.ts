import { checkBinaryInputs } from './validate.ts';

/** Confusion counts and the usual threshold metrics for a binary classifier. */
export interface ClassificationMetrics {
  n: number;
  accuracy: number;
  precision: number;
  recall: number;
  f1: number;
  tp: number;
  fp: number;
  tn: number;
  fn: number;
}

/**
 * Threshold metrics for binary labels (1 = positive, 0 = negative) and scores, predicting positive when
 * `score >= threshold`.
 *
 * Zero-denominator convention: precision is 0 when nothing is predicted positive (tp + fp = 0), recall is 0 when
 * there are no positive labels (tp + fn = 0), and F1 is 0 when precision + recall = 0. This matches
 * scikit-learn's `zero_division=0` and keeps every field a finite number, so results serialize cleanly to JSON.
 */
export function classificationMetrics(
  labels: ArrayLike<number>,
  scores: ArrayLike<number>,
  threshold = 0.5,
): ClassificationMetrics {
  const n = checkBinaryInputs(labels, scores, 'classificationMetrics');
  if (typeof threshold !== 'number' || Number.isNaN(threshold)) {
    throw new RangeError(`classificationMetrics: threshold must be a number (got ${String(threshold)})`);
  }
  let tp = 0;
  let fp = 0;
  let tn = 0;
  let fn = 0;
  for (let i = 0; i < n; i++) {
    const predictedPositive = scores[i] >= threshold;
    if (labels[i] === 1) {
      if (predictedPositive) tp++;
      else fn++;
    } else if (predictedPositive) fp++;
    else tn++;
  }
  const precision = tp + fp === 0 ? 0 : tp / (tp + fp);
  const recall = tp + fn === 0 ? 0 : tp / (tp + fn);
  // 2tp / (2tp + fp + fn) is the harmonic mean of precision and recall computed from counts (no rounding
  // from the two divisions above); it is 0 exactly when precision + recall = 0, i.e. when tp = 0.
  const f1 = tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn);
  return { n, accuracy: (tp + tn) / n, precision, recall, f1, tp, fp, tn, fn };
}
