import { describe, expect, it } from 'vitest';
import { assertCompletePartition, describePartition, summarizePartition } from './describe.ts';

describe('describePartition / summarizePartition', () => {
  const labels = [0, 1, 1, 0, 1, 1] as const;
  const parts = [[0, 3], [1, 2, 4, 5], []];

  it('counts sizes and labels per client', () => {
    expect(describePartition(labels, parts)).toEqual([
      { client: 0, size: 2, positives: 0, negatives: 2 },
      { client: 1, size: 4, positives: 4, negatives: 0 },
      { client: 2, size: 0, positives: 0, negatives: 0 },
    ]);
  });

  it('summarises sizes and label skew', () => {
    const summary = summarizePartition(describePartition(labels, parts));
    // sizes 2, 4, 0: mean 2, variance (0 + 4 + 4) / 3; overall 4/6 positive;
    // skew over non-empty clients: (|0 − 2/3| + |1 − 2/3|) / 2 = 0.5
    expect(summary).toEqual({
      numClients: 3,
      totalExamples: 6,
      minSize: 0,
      maxSize: 4,
      meanSize: 2,
      sizeStdDev: Math.sqrt(8 / 3),
      overallPositiveFraction: 4 / 6,
      meanLabelSkew: 0.5,
      singleLabelClients: 2,
      emptyClients: 1,
    });
  });

  it('summarises an empty partition without NaN', () => {
    const summary = summarizePartition([]);
    expect(Object.values(summary).every(Number.isFinite)).toBe(true);
  });

  it('rejects indices outside the labels and labels other than 0/1', () => {
    expect(() => describePartition(labels, [[0, 6]])).toThrow('Client 0 holds index 6, outside 0..5');
    expect(() => describePartition([0, 2], [[1]])).toThrow('labels[1] is 2; labels must be 0 or 1');
  });
});

describe('assertCompletePartition', () => {
  it('accepts a partition that assigns every index once', () => {
    expect(() => assertCompletePartition([[2, 0], [1]], 3)).not.toThrow();
  });

  it('names duplicates, gaps and out-of-range indices', () => {
    expect(() => assertCompletePartition([[0, 1], [1, 2]], 3)).toThrow('Index 1 is assigned to both client 0 and client 1');
    expect(() => assertCompletePartition([[0], [2]], 3)).toThrow('Index 1 is not assigned to any client');
    expect(() => assertCompletePartition([[0, 1, 2, 3]], 3)).toThrow(/index 3, outside 0..2/);
    expect(() => assertCompletePartition([[0.5]], 3)).toThrow(/index 0.5/);
  });
});
