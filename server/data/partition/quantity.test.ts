import { describe, expect, it } from 'vitest';
import { describePartition, summarizePartition } from './describe.ts';
import { partition } from './index.ts';
import { sortedBalancedLabels } from './test-fixtures.ts';

function sizeSpread(alpha: number): number {
  const labels = sortedBalancedLabels(2000);
  let total = 0;
  for (let seed = 0; seed < 5; seed++) {
    const summary = summarizePartition(describePartition(labels, partition(labels, 10, { kind: 'quantity', alpha }, seed)));
    total += summary.sizeStdDev / summary.meanSize;
  }
  return total / 5;
}

describe('quantity-skew partition', () => {
  it('spreads client sizes much more with small alpha than with large alpha', () => {
    const small = sizeSpread(0.1);
    const large = sizeSpread(1000);
    expect(small).toBeGreaterThan(1); // coefficient of variation: a few clients hold most examples
    expect(large).toBeLessThan(0.1);
  });

  it('keeps every client at or above minPerClient', () => {
    const labels = sortedBalancedLabels(500);
    const parts = partition(labels, 20, { kind: 'quantity', alpha: 0.05, minPerClient: 12 }, 1);
    expect(Math.min(...parts.map((part) => part.length))).toBeGreaterThanOrEqual(12);
  });

  it('keeps labels IID within clients (no label skew beyond sampling noise)', () => {
    const labels = sortedBalancedLabels(4000);
    const stats = describePartition(labels, partition(labels, 8, { kind: 'quantity', alpha: 1, minPerClient: 100 }, 2));
    // Every client has >= 100 examples, so its pos fraction has sd <= 0.05; 0.2 is 4 sd.
    for (const client of stats) expect(Math.abs(client.positives / client.size - 0.5)).toBeLessThan(0.2);
    expect(summarizePartition(stats).meanLabelSkew).toBeLessThan(0.06);
  });
});
