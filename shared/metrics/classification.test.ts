import { describe, expect, it } from 'vitest';
import { classificationMetrics } from './classification.ts';

describe('classificationMetrics', () => {
  it('counts a hand-worked confusion matrix (score == threshold is predicted positive)', () => {
    // i:       0    1    2    3    4    5    6    7
    // label:   1    1    1    0    0    0    1    0
    // score:  .9   .6   .3   .7   .2   .5   .5   .1
    // outcome: TP   TP   FN   FP   TN   FP   TP   TN
    const m = classificationMetrics([1, 1, 1, 0, 0, 0, 1, 0], [0.9, 0.6, 0.3, 0.7, 0.2, 0.5, 0.5, 0.1]);
    expect(m).toEqual({ n: 8, tp: 3, fp: 2, tn: 2, fn: 1, accuracy: 5 / 8, precision: 3 / 5, recall: 3 / 4, f1: 2 / 3 });
  });

  it('honours a custom threshold', () => {
    const m = classificationMetrics([1, 1, 1, 0, 0, 0, 1, 0], [0.9, 0.6, 0.3, 0.7, 0.2, 0.5, 0.5, 0.1], 0.65);
    // Positive now only for .9 (TP) and .7 (FP); the rest are FN (labels 1) or TN (labels 0).
    expect(m).toMatchObject({ tp: 1, fp: 1, tn: 3, fn: 3, accuracy: 4 / 8, precision: 1 / 2, recall: 1 / 4 });
    expect(m.f1).toBeCloseTo(1 / 3, 12);
  });

  it('accepts typed arrays', () => {
    const m = classificationMetrics(new Uint8Array([1, 0, 1]), new Float32Array([0.8, 0.1, 0.6]));
    expect(m).toMatchObject({ n: 3, tp: 2, tn: 1, fp: 0, fn: 0, accuracy: 1, precision: 1, recall: 1, f1: 1 });
  });

  it('defines precision as 0 when nothing is predicted positive', () => {
    const m = classificationMetrics([1, 0, 1], [0.1, 0.2, 0.3]);
    expect(m).toMatchObject({ tp: 0, fp: 0, tn: 1, fn: 2, precision: 0, recall: 0, f1: 0, accuracy: 1 / 3 });
  });

  it('defines recall and F1 as 0 when there are no positive labels', () => {
    const m = classificationMetrics([0, 0], [0.9, 0.1]);
    expect(m).toMatchObject({ tp: 0, fp: 1, tn: 1, fn: 0, precision: 0, recall: 0, f1: 0, accuracy: 0.5 });
  });

  it('rejects mismatched lengths, empty input, bad labels, non-finite scores and a NaN threshold', () => {
    expect(() => classificationMetrics([1, 0], [0.5])).toThrow(/same length \(got 2 labels and 1 scores\)/);
    expect(() => classificationMetrics([], [])).toThrow(/must not be empty/);
    expect(() => classificationMetrics([1, 2], [0.5, 0.5])).toThrow(/labels\[1\] must be 0 or 1 \(got 2\)/);
    expect(() => classificationMetrics([1, 0], [0.5, NaN])).toThrow(/scores\[1\] must be a finite number/);
    expect(() => classificationMetrics([1, 0], [0.5, 0.1], NaN)).toThrow(/threshold must be a number/);
  });
});
