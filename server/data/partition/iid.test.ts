import { describe, expect, it } from 'vitest';
import { Rng } from '../../../shared/random/rng.ts';
import { describePartition, summarizePartition } from './describe.ts';
import { partitionIid } from './iid.ts';
import { partition } from './index.ts';
import { sortedBalancedLabels } from './test-fixtures.ts';

describe('iid partition', () => {
  it('deals sizes that differ by at most one', () => {
    const sizes = partitionIid(103, 10, new Rng(1)).map((part) => part.length);
    expect(sizes.filter((s) => s === 11)).toHaveLength(3);
    expect(sizes.filter((s) => s === 10)).toHaveLength(7);
  });

  it('gives every client roughly the overall label mix, even from label-sorted input', () => {
    const labels = sortedBalancedLabels(2000);
    const stats = describePartition(labels, partition(labels, 10, { kind: 'iid' }, 3));
    // Each client holds 200 examples; a binomial pos fraction has sd ≈ 0.035, so 0.15 is > 4 sd.
    for (const client of stats) expect(Math.abs(client.positives / client.size - 0.5)).toBeLessThan(0.15);
    const summary = summarizePartition(stats);
    expect(summary.meanLabelSkew).toBeLessThan(0.05);
    expect(summary.sizeStdDev).toBe(0);
  });
});
