import { checkBinaryInputs, countClassesOrThrow } from './validate.ts';

export { downsampleRoc } from './roc-downsample.ts';

/**
 * A receiver operating characteristic curve. Point i is the (false positive rate, true positive rate) reached by
 * predicting positive when `score >= thresholds[i]`. Point 0 is (0, 0) with threshold `Infinity` (nothing predicted
 * positive); the last point is (1, 1) with the lowest score as its threshold. `Infinity` becomes `null` in
 * JSON.stringify, so replace it before serializing if a number is needed.
 */
export interface RocCurve {
  fpr: number[];
  tpr: number[];
  thresholds: number[];
}

/** Indices of `scores` sorted by score, descending when `descending` is true. */
function sortedIndices(scores: ArrayLike<number>, descending: boolean): Uint32Array {
  const order = new Uint32Array(scores.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  // A typed-array sort with a comparator is O(n log n) and avoids boxing 50k indices into a plain array.
  return descending ? order.sort((a, b) => scores[b] - scores[a]) : order.sort((a, b) => scores[a] - scores[b]);
}

/**
 * The ROC curve with one point per distinct score. Tied scores are taken together as one step, so a tie between a
 * positive and a negative shows up as a diagonal segment rather than an arbitrary staircase that depends on
 * the input order. Throws when only one class is present (a rate would divide by zero).
 */
export function rocCurve(labels: ArrayLike<number>, scores: ArrayLike<number>): RocCurve {
  const n = checkBinaryInputs(labels, scores, 'rocCurve');
  const { positives, negatives } = countClassesOrThrow(labels, 'rocCurve');
  const order = sortedIndices(scores, true);
  const fpr = [0];
  const tpr = [0];
  const thresholds = [Infinity];
  let truePositives = 0;
  let falsePositives = 0;
  for (let k = 0; k < n; k++) {
    const i = order[k];
    if (labels[i] === 1) truePositives++;
    else falsePositives++;
    // Emit a point only after the last member of a tie group, so ties move both rates at once.
    const isLastOfGroup = k === n - 1 || scores[order[k + 1]] !== scores[i];
    if (isLastOfGroup) {
      fpr.push(falsePositives / negatives);
      tpr.push(truePositives / positives);
      thresholds.push(scores[i]);
    }
  }
  return { fpr, tpr, thresholds };
}

/**
 * Area under the ROC curve, computed exactly as the Mann–Whitney U statistic divided by (positives × negatives):
 * the probability that a random positive scores higher than a random negative, a tie counting 1/2. Equal to the
 * trapezoidal area under `rocCurve`. O(n log n) (one sort). Throws when only one class is present.
 */
export function rocAuc(labels: ArrayLike<number>, scores: ArrayLike<number>): number {
  const n = checkBinaryInputs(labels, scores, 'rocAuc');
  const { positives, negatives } = countClassesOrThrow(labels, 'rocAuc');
  const order = sortedIndices(scores, false);
  // Walking scores upward a tie group at a time: every positive in the group beats all negatives seen in
  // earlier groups and ties (half credit) with the negatives in its own group. All counts are integers or
  // halves below 2^53, so U is exact.
  let u = 0;
  let negativesBelow = 0;
  let start = 0;
  while (start < n) {
    const score = scores[order[start]];
    let end = start;
    let groupPositives = 0;
    let groupNegatives = 0;
    while (end < n && scores[order[end]] === score) {
      if (labels[order[end]] === 1) groupPositives++;
      else groupNegatives++;
      end++;
    }
    u += groupPositives * (negativesBelow + groupNegatives / 2);
    negativesBelow += groupNegatives;
    start = end;
  }
  return u / (positives * negatives);
}
