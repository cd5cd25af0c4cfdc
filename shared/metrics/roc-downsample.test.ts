import { describe, expect, it } from 'vitest';
import { Rng } from '../random/rng.ts';
import { rocAuc, rocCurve, type RocCurve } from './roc.ts';
import { downsampleRoc } from './roc-downsample.ts';

function trapezoidArea(curve: RocCurve): number {
  let area = 0;
  for (let i = 1; i < curve.fpr.length; i++) {
    area += ((curve.fpr[i] - curve.fpr[i - 1]) * (curve.tpr[i] + curve.tpr[i - 1])) / 2;
  }
  return area;
}

describe('downsampleRoc', () => {
  it('keeps the corner of a staircase before anything else', () => {
    const curve: RocCurve = {
      fpr: [0, 0, 0, 0.5, 1],
      tpr: [0, 0.5, 1, 1, 1],
      thresholds: [Infinity, 0.9, 0.8, 0.3, 0.1],
    };
    expect(downsampleRoc(curve, 3)).toEqual({ fpr: [0, 0, 1], tpr: [0, 1, 1], thresholds: [Infinity, 0.8, 0.1] });
  });

  it('drops points lying on a straight run even when under budget', () => {
    const curve: RocCurve = { fpr: [0, 0.25, 0.5, 1], tpr: [0, 0.25, 0.5, 1], thresholds: [Infinity, 3, 2, 1] };
    expect(downsampleRoc(curve, 3)).toEqual({ fpr: [0, 1], tpr: [0, 1], thresholds: [Infinity, 1] });
  });

  it('returns a copy unchanged when the curve already fits', () => {
    const curve: RocCurve = { fpr: [0, 0.5, 1], tpr: [0, 1, 1], thresholds: [Infinity, 0.7, 0.2] };
    const result = downsampleRoc(curve, 3);
    expect(result).toEqual(curve);
    expect(result.fpr).not.toBe(curve.fpr);
  });

  it('thins a 20,000-point curve to a subsequence of at most maxPoints that keeps its area', () => {
    const rng = new Rng(21);
    const n = 20_000;
    const labels: number[] = [];
    const scores: number[] = [];
    for (let i = 0; i < n; i++) {
      const label = rng.next() < 0.5 ? 1 : 0;
      labels.push(label);
      scores.push(rng.normal() + label);
    }
    const curve = rocCurve(labels, scores);
    const small = downsampleRoc(curve, 200);
    expect(small.fpr.length).toBeLessThanOrEqual(200);
    expect(small.fpr.length).toBeGreaterThan(150);
    expect([small.fpr[0], small.tpr[0], small.fpr.at(-1), small.tpr.at(-1)]).toEqual([0, 0, 1, 1]);
    // A subsequence: each kept threshold appears in the original, in the same (descending) order.
    const positionOf = new Map(curve.thresholds.map((t, i) => [t, i]));
    let previous = -1;
    for (let i = 0; i < small.thresholds.length; i++) {
      const original = positionOf.get(small.thresholds[i]);
      expect(original).toBeDefined();
      expect(original as number).toBeGreaterThan(previous);
      expect(small.fpr[i]).toBe(curve.fpr[original as number]);
      expect(small.tpr[i]).toBe(curve.tpr[original as number]);
      previous = original as number;
    }
    expect(Math.abs(trapezoidArea(small) - rocAuc(labels, scores))).toBeLessThan(0.002);
  });

  it('rejects a bad maxPoints and arrays of different lengths', () => {
    const curve: RocCurve = { fpr: [0, 1], tpr: [0, 1], thresholds: [Infinity, 0.5] };
    expect(() => downsampleRoc(curve, 1)).toThrow(/maxPoints must be an integer >= 2 \(got 1\)/);
    expect(() => downsampleRoc(curve, 2.5)).toThrow(/maxPoints must be an integer/);
    expect(() => downsampleRoc({ fpr: [0, 1], tpr: [0], thresholds: [1, 2] }, 5)).toThrow(/same length \(got 2, 1, 2\)/);
  });
});
