/**
 * Input checks shared by the binary-classification metrics. Labels and scores usually come from a model's
 * predictions over a held-out set, so a silent NaN or a stray label 2 would corrupt every number downstream;
 * we fail loudly instead, naming the offending index.
 */

/** Checks that `labels` are all 0 or 1, `scores` are all finite, and both have the same non-zero length. Returns n. */
export function checkBinaryInputs(labels: ArrayLike<number>, scores: ArrayLike<number>, caller: string): number {
  if (labels == null || typeof labels.length !== 'number') throw new TypeError(`${caller}: labels must be an array of numbers`);
  if (scores == null || typeof scores.length !== 'number') throw new TypeError(`${caller}: scores must be an array of numbers`);
  const n = labels.length;
  if (n !== scores.length) {
    throw new RangeError(`${caller}: labels and scores must have the same length (got ${n} labels and ${scores.length} scores)`);
  }
  if (n === 0) throw new RangeError(`${caller}: labels and scores must not be empty`);
  for (let i = 0; i < n; i++) {
    const label = labels[i];
    if (label !== 0 && label !== 1) throw new RangeError(`${caller}: labels[${i}] must be 0 or 1 (got ${String(label)})`);
    const score = scores[i];
    if (typeof score !== 'number' || !Number.isFinite(score)) {
      throw new RangeError(`${caller}: scores[${i}] must be a finite number (got ${String(score)})`);
    }
  }
  return n;
}

/** Counts the positives (label 1) and negatives (label 0) and throws when either class is missing, since ROC/AUC are undefined then. */
export function countClassesOrThrow(labels: ArrayLike<number>, caller: string): { positives: number; negatives: number } {
  let positives = 0;
  for (let i = 0; i < labels.length; i++) positives += labels[i];
  const negatives = labels.length - positives;
  if (positives === 0 || negatives === 0) {
    const present = positives === 0 ? 'negative (0)' : 'positive (1)';
    throw new RangeError(
      `${caller}: needs both classes but every label is ${present}; ROC/AUC is undefined with a single class`,
    );
  }
  return { positives, negatives };
}
