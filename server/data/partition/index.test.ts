import { describe, expect, it } from 'vitest';
import { assertCompletePartition, partition, type PartitionSpecInput } from './index.ts';
import { randomLabels, sortedBalancedLabels } from './test-fixtures.ts';

const specs: PartitionSpecInput[] = [
  { kind: 'iid' },
  { kind: 'dirichlet', alpha: 0.1 },
  { kind: 'dirichlet', alpha: 10, minPerClient: 5 },
  { kind: 'shards', labelsPerClient: 1 },
  { kind: 'shards', labelsPerClient: 2 },
  { kind: 'quantity', alpha: 0.5 },
];

describe('partition (all kinds)', () => {
  describe.each(specs.map((spec) => [JSON.stringify(spec), spec] as const))('%s', (_, spec) => {
    it('assigns every index exactly once and leaves no client empty', () => {
      for (const [labels, numClients] of [
        [sortedBalancedLabels(1000), 10],
        [randomLabels(357, 0.3, 1), 7],
        [sortedBalancedLabels(400), 40],
        [sortedBalancedLabels(9), 1],
      ] as const) {
        const parts = partition(labels, numClients, spec, 42);
        expect(parts).toHaveLength(numClients);
        assertCompletePartition(parts, labels.length);
        expect(parts.every((part) => part.length > 0)).toBe(true);
      }
    });

    it('is deterministic per seed and changes with the seed', () => {
      const labels = sortedBalancedLabels(600);
      expect(partition(labels, 6, spec, 5)).toEqual(partition(labels, 6, spec, 5));
      expect(partition(labels, 6, spec, 5)).not.toEqual(partition(labels, 6, spec, 6));
    });

    it('returns each client’s indices in random order, not sorted', () => {
      const parts = partition(sortedBalancedLabels(600), 3, spec, 8);
      const sorted = parts.map((part) => [...part].sort((a, b) => a - b));
      expect(parts).not.toEqual(sorted);
    });
  });

  it.each([
    [{ kind: 'iid' }],
    [{ kind: 'dirichlet', alpha: 0.1 }],
    [{ kind: 'quantity', alpha: 0.1 }],
    [{ kind: 'shards', labelsPerClient: 1 }],
  ] as const)('gives exactly one example each when numClients = n (%j)', (spec) => {
    const parts = partition(randomLabels(30, 0.5, 3), 30, spec, 11);
    assertCompletePartition(parts, 30);
    expect(parts.every((part) => part.length === 1)).toBe(true);
  });

  it('accepts a Uint8Array of labels', () => {
    const labels = Uint8Array.from(sortedBalancedLabels(50));
    assertCompletePartition(partition(labels, 5, { kind: 'iid' }, 1), 50);
  });
});

describe('partition input validation', () => {
  const labels = sortedBalancedLabels(20);

  it('rejects more clients than examples', () => {
    expect(() => partition(labels, 21, { kind: 'iid' }, 0)).toThrow(
      'numClients (21) exceeds the number of examples (20); every client needs one',
    );
  });

  it.each([0, -1, 2.5, Number.NaN])('rejects numClients = %s', (numClients) => {
    expect(() => partition(labels, numClients, { kind: 'iid' }, 0)).toThrow(/numClients must be a positive integer/);
  });

  it.each([-1, 1.5, 2 ** 32])('rejects seed = %s', (seed) => {
    expect(() => partition(labels, 2, { kind: 'iid' }, seed)).toThrow(/seed must be an integer in 0..4294967295/);
  });

  it('rejects labels other than 0 and 1', () => {
    expect(() => partition([0, 1, 2, 0], 2, { kind: 'iid' }, 0)).toThrow('labels[2] is 2; labels must be 0 or 1');
    expect(() => partition([0, 1, Number.NaN], 2, { kind: 'iid' }, 0)).toThrow(/labels\[2\] is NaN/);
  });

  it.each([0, -0.5, Number.POSITIVE_INFINITY])('rejects alpha = %s', (alpha) => {
    expect(() => partition(labels, 2, { kind: 'dirichlet', alpha }, 0)).toThrow(/Invalid dirichlet partition spec: alpha:/);
    expect(() => partition(labels, 2, { kind: 'quantity', alpha }, 0)).toThrow(/Invalid quantity partition spec: alpha:/);
  });

  it('rejects a missing alpha, an unknown field and an unknown kind', () => {
    expect(() => partition(labels, 2, { kind: 'dirichlet' } as never, 0)).toThrow(/alpha:/);
    expect(() => partition(labels, 2, { kind: 'dirichlet', alfa: 1 } as never, 0)).toThrow(/Invalid dirichlet partition spec/);
    expect(() => partition(labels, 2, { kind: 'pathological' } as never, 0)).toThrow(
      'Unknown partition kind "pathological"; valid kinds: iid, dirichlet, shards, quantity',
    );
    expect(() => partition(labels, 2, null as never, 0)).toThrow(/Unknown partition kind undefined/);
  });

  it('rejects an impossible minimum and too many shards', () => {
    expect(() => partition(labels, 4, { kind: 'dirichlet', alpha: 1, minPerClient: 6 }, 0)).toThrow(
      'minPerClient 6 is impossible: 20 examples over 4 clients allow at most 5 each',
    );
    expect(() => partition(labels, 4, { kind: 'quantity', alpha: 1, minPerClient: 0 }, 0)).toThrow(/minPerClient:/);
    expect(() => partition(labels, 11, { kind: 'shards', labelsPerClient: 2 }, 0)).toThrow(
      'Shards partition needs numClients · labelsPerClient (11 · 2) <= the number of examples (20)',
    );
    expect(() => partition(labels, 2, { kind: 'shards', labelsPerClient: 0 }, 0)).toThrow(/labelsPerClient:/);
  });
});
