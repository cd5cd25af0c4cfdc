import { describe, expect, it } from 'vitest';
import { Rng } from '../random/rng.ts';
import { rocAuc, rocCurve } from './roc.ts';

/** O(n^2) reference: fraction of (positive, negative) pairs where the positive scores higher, ties 1/2. */
function bruteForceAuc(labels: number[], scores: number[]): number {
  let wins = 0;
  let pairs = 0;
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] !== 1) continue;
    for (let j = 0; j < labels.length; j++) {
      if (labels[j] !== 0) continue;
      pairs++;
      wins += scores[i] > scores[j] ? 1 : scores[i] === scores[j] ? 0.5 : 0;
    }
  }
  return wins / pairs;
}

function trapezoidArea(xs: number[], ys: number[]): number {
  let area = 0;
  for (let i = 1; i < xs.length; i++) area += ((xs[i] - xs[i - 1]) * (ys[i] + ys[i - 1])) / 2;
  return area;
}

function randomProblem(rng: Rng, n: number, decimals: number): { labels: number[]; scores: number[] } {
  const labels: number[] = [];
  const scores: number[] = [];
  const scale = 10 ** decimals;
  for (let i = 0; i < n; i++) {
    const label = rng.next() < 0.4 ? 1 : 0;
    labels.push(label);
    // Positives shifted up so the AUC is informative; rounding creates plenty of ties.
    scores.push(Math.round((rng.normal() + label) * scale) / scale);
  }
  return { labels, scores };
}

describe('rocAuc', () => {
  it('counts ties as one half: labels [1,1,0,0], scores [.9,.4,.4,.1] -> 0.875', () => {
    // Pairs (pos, neg): (.9,.4)=1, (.9,.1)=1, (.4,.4)=0.5, (.4,.1)=1 -> 3.5 / 4.
    expect(rocAuc([1, 1, 0, 0], [0.9, 0.4, 0.4, 0.1])).toBe(0.875);
  });

  it('is 0.5 when every score is tied, 1 when perfect and 0 when inverted', () => {
    expect(rocAuc([1, 0, 1, 0, 0], [0.3, 0.3, 0.3, 0.3, 0.3])).toBe(0.5);
    expect(rocAuc([0, 1, 0, 1], [0.1, 0.8, 0.2, 0.7])).toBe(1);
    expect(rocAuc([0, 1, 0, 1], [0.9, 0.2, 0.8, 0.3])).toBe(0);
  });

  it('matches a hand-worked example with a three-way tie: 5/9', () => {
    // Positive .8 beats negatives .5 and .2 (2); each positive .5 beats .2 and ties .5 (1.5 each). U = 5, P*N = 9.
    expect(rocAuc([0, 1, 1, 0, 1, 0], [0.2, 0.8, 0.5, 0.5, 0.5, 0.9])).toBeCloseTo(5 / 9, 15);
  });

  it('matches the O(n^2) pair count and the trapezoidal area of rocCurve on random data with ties', () => {
    const rng = new Rng(7);
    for (let trial = 0; trial < 5; trial++) {
      const { labels, scores } = randomProblem(rng, 300, 1);
      const auc = rocAuc(labels, scores);
      expect(auc).toBeCloseTo(bruteForceAuc(labels, scores), 12);
      const curve = rocCurve(labels, scores);
      expect(trapezoidArea(curve.fpr, curve.tpr)).toBeCloseTo(auc, 12);
    }
  });

  it('does not depend on the order of the examples', () => {
    const rng = new Rng(3);
    const { labels, scores } = randomProblem(rng, 500, 1);
    const order = rng.shuffle(labels.map((_, i) => i));
    expect(rocAuc(order.map((i) => labels[i]), order.map((i) => scores[i]))).toBe(rocAuc(labels, scores));
  });

  it('handles 50,000 typed-array scores quickly', () => {
    const rng = new Rng(11);
    const n = 50_000;
    const labels = new Uint8Array(n);
    const scores = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      labels[i] = rng.next() < 0.5 ? 1 : 0;
      scores[i] = 1 / (1 + Math.exp(-(rng.normal() + 1.5 * labels[i])));
    }
    const started = performance.now();
    const auc = rocAuc(labels, scores);
    const curve = rocCurve(labels, scores);
    const elapsedMs = performance.now() - started;
    // Means 1.5 apart with unit variance: AUC = Phi(1.5 / sqrt 2) ~ 0.856.
    expect(auc).toBeGreaterThan(0.84);
    expect(auc).toBeLessThan(0.87);
    expect(trapezoidArea(curve.fpr, curve.tpr)).toBeCloseTo(auc, 10);
    expect(elapsedMs).toBeLessThan(2000);
  });

  it('throws clear errors for a single class, mismatched lengths and empty input', () => {
    expect(() => rocAuc([1, 1, 1], [0.2, 0.5, 0.9])).toThrow(/needs both classes but every label is positive \(1\)/);
    expect(() => rocAuc([0, 0], [0.2, 0.5])).toThrow(/every label is negative \(0\)/);
    expect(() => rocAuc([1, 0, 1], [0.2, 0.5])).toThrow(/same length/);
    expect(() => rocAuc([], [])).toThrow(/must not be empty/);
    expect(() => rocAuc([1, 0], [0.2, Infinity])).toThrow(/scores\[1\] must be a finite number/);
  });
});

describe('rocCurve', () => {
  it('groups ties into one diagonal step: labels [1,1,0,0], scores [.9,.4,.4,.1]', () => {
    expect(rocCurve([1, 1, 0, 0], [0.9, 0.4, 0.4, 0.1])).toEqual({
      fpr: [0, 0, 0.5, 1],
      tpr: [0, 0.5, 1, 1],
      thresholds: [Infinity, 0.9, 0.4, 0.1],
    });
  });

  it('lists every point of a hand-worked example with a three-way tie', () => {
    // Descending: .9 neg -> (1/3, 0); .8 pos -> (1/3, 1/3); .5 {pos, neg, pos} -> (2/3, 1); .2 neg -> (1, 1).
    expect(rocCurve([0, 1, 1, 0, 1, 0], [0.2, 0.8, 0.5, 0.5, 0.5, 0.9])).toEqual({
      fpr: [0, 1 / 3, 1 / 3, 2 / 3, 1],
      tpr: [0, 0, 1 / 3, 1, 1],
      thresholds: [Infinity, 0.9, 0.8, 0.5, 0.2],
    });
  });

  it('is the straight diagonal when every score is tied', () => {
    expect(rocCurve([1, 0, 0, 1], [0.5, 0.5, 0.5, 0.5])).toEqual({ fpr: [0, 1], tpr: [0, 1], thresholds: [Infinity, 0.5] });
  });

  it('starts at (0,0), ends at (1,1), is monotone and has one point per distinct score', () => {
    const { labels, scores } = randomProblem(new Rng(5), 1000, 2);
    const curve = rocCurve(labels, scores);
    const distinct = new Set(scores).size;
    expect(curve.fpr.length).toBe(distinct + 1);
    expect([curve.fpr[0], curve.tpr[0]]).toEqual([0, 0]);
    expect([curve.fpr.at(-1), curve.tpr.at(-1)]).toEqual([1, 1]);
    for (let i = 1; i < curve.fpr.length; i++) {
      expect(curve.fpr[i]).toBeGreaterThanOrEqual(curve.fpr[i - 1]);
      expect(curve.tpr[i]).toBeGreaterThanOrEqual(curve.tpr[i - 1]);
      expect(curve.thresholds[i]).toBeLessThan(curve.thresholds[i - 1]);
    }
  });

  it('throws for a single class', () => {
    expect(() => rocCurve([0, 0, 0], [0.1, 0.2, 0.3])).toThrow(/rocCurve: needs both classes/);
  });
});
