import { describe, expect, it } from 'vitest';
import { hashExamples } from '../../shared/model/featurize-set.ts';
import { countDocFreq, inverseDocFreq } from '../../shared/text/doc-freq.ts';
import { featurizerSettings } from '../../shared/text/settings.ts';
import { partition } from '../data/partition/index.ts';
import { shouldEvaluate } from './in-process.ts';
import { syntheticReviews } from './test-fixtures.ts';
import { createVirtualClients, federatedDocFreq } from './virtual-clients.ts';

const featurizer = featurizerSettings({ buckets: 1 << 12 });

describe('createVirtualClients', () => {
  it("gives each client exactly its partition's rows and labels, with sortable ids", () => {
    const train = [
      { text: 'great film', label: 1 as const },
      { text: 'awful plot', label: 0 as const },
      { text: 'loved it', label: 1 as const },
    ];
    const terms = hashExamples(train, featurizer);
    const clients = createVirtualClients(terms, train, [[2, 0], [1]]);
    expect(clients.map((c) => c.id)).toEqual(['client-0', 'client-1']);
    expect(clients[0].data.terms).toEqual([terms[2], terms[0]]);
    expect(Array.from(clients[0].data.labels)).toEqual([1, 1]);
    expect(Array.from(clients[1].data.labels)).toEqual([0]);
  });

  it('pads ids so that sorting them keeps client order', () => {
    const train = syntheticReviews(12, 1);
    const clients = createVirtualClients(hashExamples(train, featurizer), train, Array.from({ length: 12 }, (_, i) => [i]));
    expect(clients[2].id).toBe('client-02');
    expect(clients.map((c) => c.id)).toEqual(clients.map((c) => c.id).sort());
  });

  it('refuses hashed texts that do not match the examples', () => {
    expect(() => createVirtualClients([], syntheticReviews(2, 1), [[0, 1]])).toThrow(/0 hashed texts for 2 examples/);
  });
});

describe('federatedDocFreq', () => {
  it('sums per-client reports to exactly the central count, so the IDF is the same', () => {
    const train = syntheticReviews(300, 4);
    const terms = hashExamples(train, featurizer);
    const parts = partition(Uint8Array.from(train, (e) => e.label), 7, { kind: 'dirichlet', alpha: 0.3 }, 2);
    const { docFreq, bytesUp } = federatedDocFreq(createVirtualClients(terms, train, parts), featurizer.buckets);
    const central = countDocFreq(terms, featurizer.buckets);
    expect(docFreq.numDocs).toBe(300);
    expect(Array.from(docFreq.counts)).toEqual(Array.from(central.counts));
    expect(Array.from(inverseDocFreq(docFreq))).toEqual(Array.from(inverseDocFreq(central)));
    // Each report is 4-byte ids + 4-byte counts for the buckets its client touched: at least the vocabulary size.
    expect(bytesUp % 8).toBe(0);
    expect(bytesUp).toBeGreaterThanOrEqual(8 * central.counts.filter((c) => c > 0).length);
  });
});

describe('shouldEvaluate', () => {
  it('evaluates every K rounds and always the last one', () => {
    const config = { evalEvery: 4, rounds: 10 };
    expect([1, 2, 3, 4, 5, 8, 9, 10].map((r) => shouldEvaluate(r, config))).toEqual([false, false, false, true, false, true, false, true]);
    expect([1, 2].map((r) => shouldEvaluate(r, { evalEvery: 1, rounds: 2 }))).toEqual([true, true]);
  });
});
