import { describe, expect, it } from 'vitest';
import { describePartition, summarizePartition } from './describe.ts';
import { partition } from './index.ts';
import { allocateShards } from './shards.ts';
import { randomLabels, sortedBalancedLabels } from './test-fixtures.ts';

describe('shards partition', () => {
  it('gives single-label clients with labelsPerClient = 1, even when the label boundary falls inside a shard', () => {
    // 1000 balanced labels over 3 clients: cutting the sorted array in thirds would mix labels in the middle.
    for (const [labels, numClients] of [
      [sortedBalancedLabels(1000), 3],
      [sortedBalancedLabels(1000), 10],
      [randomLabels(501, 0.27, 5), 7],
    ] as const) {
      const stats = describePartition(labels, partition(labels, numClients, { kind: 'shards', labelsPerClient: 1 }, 1));
      expect(summarizePartition(stats).singleLabelClients).toBe(numClients);
    }
  });

  it('gives both labels to clients that draw one shard of each with labelsPerClient = 2', () => {
    const labels = sortedBalancedLabels(1000);
    const stats = describePartition(labels, partition(labels, 10, { kind: 'shards', labelsPerClient: 2 }, 3));
    const summary = summarizePartition(stats);
    // 20 shards of 50 (10 per label); a client's two shards are single-label, so it has 0, 50 or 100 positives.
    for (const client of stats) {
      expect(client.size).toBe(100);
      expect([0, 50, 100]).toContain(client.positives);
    }
    expect(summary.singleLabelClients).toBeLessThan(10);
  });

  it('defaults to two shards per client (McMahan et al.)', () => {
    const labels = sortedBalancedLabels(1000);
    expect(partition(labels, 10, { kind: 'shards' }, 3)).toEqual(partition(labels, 10, { kind: 'shards', labelsPerClient: 2 }, 3));
  });

  it('handles a dataset with only one label', () => {
    const labels = Array.from({ length: 12 }, () => 1 as const);
    const parts = partition(labels, 4, { kind: 'shards', labelsPerClient: 1 }, 0);
    expect(parts.map((part) => part.length)).toEqual([3, 3, 3, 3]);
  });
});

describe('allocateShards', () => {
  it('splits shards between labels in proportion to their counts', () => {
    expect(allocateShards(10, 500, 500)).toEqual([5, 5]);
    expect(allocateShards(10, 750, 250)).toEqual([7, 3]); // round(2.5) = 3 positive shards
  });

  it('gives each present label at least one shard and never more shards than examples', () => {
    expect(allocateShards(3, 1, 99)).toEqual([1, 2]);
    expect(allocateShards(5, 1, 9)).toEqual([1, 4]);
    expect(allocateShards(5, 3, 2)).toEqual([3, 2]);
    expect(allocateShards(2, 0, 10)).toEqual([0, 2]);
    expect(allocateShards(2, 10, 0)).toEqual([2, 0]);
  });
});
