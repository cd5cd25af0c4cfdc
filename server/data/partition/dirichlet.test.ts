import { describe, expect, it } from 'vitest';
import { Rng } from '../../../shared/random/rng.ts';
import { describePartition, summarizePartition } from './describe.ts';
import { partitionDirichlet, rebalanceToMinimum } from './dirichlet.ts';
import { assertCompletePartition, partition } from './index.ts';
import { sortedBalancedLabels } from './test-fixtures.ts';

/** Mean over seeds of mean |client positive fraction − 0.5| (balanced labels, so 0.5 is the overall rate). */
function averageSkew(alpha: number): number {
  const labels = sortedBalancedLabels(2000);
  let total = 0;
  for (let seed = 0; seed < 5; seed++) {
    total += summarizePartition(describePartition(labels, partition(labels, 10, { kind: 'dirichlet', alpha }, seed))).meanLabelSkew;
  }
  return total / 5;
}

describe('dirichlet label-skew partition', () => {
  it('skews labels much more with small alpha than with large alpha', () => {
    const small = averageSkew(0.1);
    const large = averageSkew(100);
    expect(small).toBeGreaterThan(0.3); // most clients are nearly single-label
    expect(large).toBeLessThan(0.05); // close to IID
    expect(small).toBeGreaterThan(5 * large);
  });

  it('gives every client at least minPerClient examples', () => {
    const labels = sortedBalancedLabels(1000);
    const parts = partition(labels, 20, { kind: 'dirichlet', alpha: 0.3, minPerClient: 25 }, 4);
    expect(Math.min(...parts.map((part) => part.length))).toBeGreaterThanOrEqual(25);
  });

  it('uses min(10, n / numClients) as the default minimum', () => {
    const labels = sortedBalancedLabels(300);
    const parts = partition(labels, 50, { kind: 'dirichlet', alpha: 0.2 }, 9); // ⌊300 / 50⌋ = 6 < 10
    expect(Math.min(...parts.map((part) => part.length))).toBeGreaterThanOrEqual(6);
  });

  it('falls back to rebalancing when re-draws keep failing, and stays skewed', () => {
    // alpha = 0.001 puts each label on ~one client, so with 50 clients no draw can satisfy the minimum.
    const labels = sortedBalancedLabels(1000);
    const parts = partitionDirichlet(labels, 50, 0.001, 10, new Rng(2));
    assertCompletePartition(parts, 1000);
    expect(Math.min(...parts.map((part) => part.length))).toBeGreaterThanOrEqual(10);
    const summary = summarizePartition(describePartition(labels, parts));
    expect(summary.singleLabelClients).toBeGreaterThan(40);
  });
});

describe('rebalanceToMinimum', () => {
  it('moves examples from the largest client to the short ones', () => {
    const parts = [[0, 1, 2, 3, 4, 5, 6], [7], [8, 9]];
    rebalanceToMinimum(parts, 3, new Rng(1));
    expect(parts.map((part) => part.length)).toEqual([4, 3, 3]);
    assertCompletePartition(parts, 10);
    expect(parts[2].slice(0, 2)).toEqual([8, 9]); // its own examples stay
  });

  it('leaves a partition that already meets the minimum alone', () => {
    const parts = [[0, 1], [2, 3]];
    expect(rebalanceToMinimum(parts, 2, new Rng(1))).toEqual([[0, 1], [2, 3]]);
  });
});
