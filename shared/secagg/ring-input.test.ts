import { describe, expect, it } from 'vitest';
import { Rng } from '../random/rng.ts';
import { SecaggClientSession, SecaggRefusal } from './client-session.ts';
import { planCohort } from './cohort-setup.ts';
import { runInMemoryRound } from './in-memory-round.ts';
import { checkRingInput, countCap, countsOfSum, countWords, RING_MAX } from './ring-input.ts';

/** n clients' count words over `buckets` buckets: each with up to `maxDocs` documents, each bucket in up to all. */
function countInputs(n: number, buckets: number, maxDocs: number, seed: number): Uint32Array[] {
  const rng = new Rng(seed);
  return Array.from({ length: n }, () => {
    const numDocs = Math.floor(rng.next() * (maxDocs + 1));
    return countWords(Array.from({ length: buckets }, () => Math.floor(rng.next() * (numDocs + 1))), numDocs, maxDocs);
  });
}

function plainSum(words: readonly Uint32Array[], which: readonly number[]): number[] {
  const out = new Array<number>(words[0].length).fill(0);
  for (const i of which) for (let j = 0; j < out.length; j++) out[j] += words[i][j];
  return out;
}

/** n sessions of a counts round (cap `maxDocs`) that have shared their keys and opened their neighbours' shares. */
function keyedSessions(n: number, maxDocs: number, roundId: string): SecaggClientSession[] {
  const sessions = Array.from({ length: n }, () => new SecaggClientSession(roundId, 3, crypto));
  const plan = planCohort(sessions.map((s) => s.advertise()), { kind: 'counts', maxDocs }, crypto);
  const sealed = sessions.map((s, i) => s.shareKeys(plan.setups[i]));
  sessions.forEach((s, i) => s.receiveShares(sealed.flatMap((list, from) => list.filter((e) => e.to === i).map((e) => ({ from, envelope: e.envelope })))));
  return sessions;
}

describe('document counts in the ring', () => {
  it('caps each client so that n clients cannot wrap 2^32: n·cap ≤ 2^32 − 1 < n·(cap + 1)', () => {
    for (const n of [2, 3, 7, 100, 1000, 65_535]) {
      const cap = countCap(n);
      expect(n * cap).toBeLessThanOrEqual(RING_MAX);
      expect(n * (cap + 1)).toBeGreaterThan(RING_MAX);
      expect(() => checkRingInput({ kind: 'counts', maxDocs: cap }, n)).not.toThrow();
      expect(() => checkRingInput({ kind: 'counts', maxDocs: cap + 1 }, n)).toThrow(/wrap/);
    }
    expect(() => checkRingInput({ kind: 'counts', maxDocs: 0 }, 3)).toThrow(/positive integer/);
    expect(() => checkRingInput({ kind: 'fixed-point', clipNorm: -1 }, 3)).toThrow(/clip norm/);
  });

  it('encodes a client’s counts as one word per bucket and its document count, refusing counts it cannot have', () => {
    expect(Array.from(countWords([0, 2, 1], 2, 10))).toEqual([0, 2, 1, 2]);
    expect(() => countWords([0, 3], 2, 10)).toThrow(/bucket 1 occurs in 3 documents/);
    expect(() => countWords([0, 1], 11, 10)).toThrow(/up to 10/);
    expect(() => countWords([0.5], 1, 10)).toThrow(/whole number/);
    const { counts, numDocs } = countsOfSum(Uint32Array.from([4, 0, 7, 9]));
    expect(Array.from(counts)).toEqual([4, 0, 7]);
    expect(numDocs).toBe(9);
  });

  it('sums 12 clients’ counts exactly through a whole secure round, with and without a third dropped', async () => {
    const maxDocs = 1000;
    const words = countInputs(12, 63, maxDocs, 1);
    const all = await runInMemoryRound({ roundId: 'c1', counts: words, maxDocs, minCohort: 3, crypto });
    expect(Array.from(all.sum)).toEqual(plainSum(words, all.survivors));
    const dropped = new Set([1, 5, 8, 10]);
    const some = await runInMemoryRound({ roundId: 'c2', counts: words, maxDocs, minCohort: 3, crypto, dropAfterSharing: dropped });
    expect(some.survivors).toEqual([0, 2, 3, 4, 6, 7, 9, 11]);
    expect(Array.from(some.sum)).toEqual(plainSum(words, some.survivors));
  });

  it('does not wrap at the bound: every client at the cap sums to n·cap exactly', async () => {
    const n = 5;
    const maxDocs = countCap(n);
    const words = Array.from({ length: n }, () => countWords([maxDocs, 0, maxDocs], maxDocs, maxDocs));
    const round = await runInMemoryRound({ roundId: 'c3', counts: words, maxDocs, minCohort: 3, crypto });
    expect(Array.from(round.sum)).toEqual([n * maxDocs, 0, n * maxDocs, n * maxDocs]);
    expect(n * maxDocs).toBeLessThanOrEqual(RING_MAX);
  });

  it('a client refuses counts above the round’s cap, a model update in a counts round, and a cap that could wrap', async () => {
    const sessions = keyedSessions(4, 10, 'c4');
    await expect(sessions[0].maskCounts(Uint32Array.from([3, 11]))).rejects.toThrow(/above the round's cap of 10/);
    await expect(sessions[1].maskInput(new Float32Array(2), Math.random)).rejects.toThrow(SecaggRefusal);
    const masked = await sessions[2].maskCounts(Uint32Array.from([3, 10]));
    expect(masked.length).toBe(2);
    const other = Array.from({ length: 4 }, () => new SecaggClientSession('c5', 3, crypto));
    const plan = planCohort(other.map((s) => s.advertise()), { kind: 'counts', maxDocs: 10 }, crypto);
    expect(() => other[0].shareKeys({ ...plan.setups[0], input: { kind: 'counts', maxDocs: countCap(4) + 1 } })).toThrow(/wrap the 32-bit ring/);
    // The server refuses to plan such a round in the first place.
    expect(() => planCohort(other.map((s) => s.advertise()), { kind: 'counts', maxDocs: countCap(4) + 1 }, crypto)).toThrow(/wrap/);
  });
});
