import { describe, expect, it } from 'vitest';
import { encodeUint32 } from '../../../shared/model/binary-codec.ts';
import { ChorusError } from '../../../shared/protocol/errors.ts';
import { StatsRound, type StatsReport } from './stats-round.ts';

const report = (ids: number[], counts: number[], numDocs: number, roundId = 's-1'): StatsReport => ({
  roundId,
  numDocs,
  ids: new Uint8Array(new Int32Array(ids).buffer),
  counts: encodeUint32(counts),
});

describe('StatsRound', () => {
  it('sums the reports of the clients it asked', () => {
    const round = new StatsRound('s-1', Date.now() + 1000, 8);
    round.ask('a');
    round.ask('b');
    round.submit('a', report([1, 5], [2, 1], 3), 10);
    expect(round.allAnswered).toBe(false);
    expect(round.unanswered()).toEqual(['b']);
    round.submit('b', report([0, 5, 7], [1, 4, 4], 4), 10);
    expect(round.allAnswered).toBe(true);
    expect(round.answeredCount).toBe(2);
    expect(round.docFreq.numDocs).toBe(7);
    expect(Array.from(round.docFreq.counts)).toEqual([1, 2, 0, 0, 0, 5, 0, 4]);
  });

  it('stops waiting for a client that left, but keeps counts already given', () => {
    const round = new StatsRound('s-1', Date.now() + 1000, 8);
    round.ask('a');
    round.ask('b');
    round.submit('a', report([2], [1], 1), 10);
    round.drop('a');
    round.drop('b');
    expect(round.allAnswered).toBe(true);
    expect(round.answeredCount).toBe(1);
    expect(round.docFreq.counts[2]).toBe(1);
  });

  it('refuses bad reports without adding anything', () => {
    const round = new StatsRound('s-1', Date.now() + 1000, 8);
    round.ask('a');
    const attempt = (fn: () => void) => {
      try {
        fn();
      } catch (error) {
        return error instanceof ChorusError ? error.code : 'other';
      }
      return 'OK';
    };
    expect(attempt(() => round.submit('x', report([1], [1], 1), 10))).toBe('NOT_SELECTED');
    expect(attempt(() => round.submit('a', report([1], [1], 1, 's-0'), 10))).toBe('STALE_ROUND');
    expect(attempt(() => round.submit('a', report([1], [1], 11), 10))).toBe('INVALID_UPDATE');
    expect(attempt(() => round.submit('a', report([1, 9], [1, 1], 2), 10))).toBe('INVALID_UPDATE');
    expect(attempt(() => round.submit('a', report([0, 1, 2, 3, 4, 5, 6, 7, 7], new Array(9).fill(1), 2), 10))).toBe('INVALID_UPDATE');
    expect(round.docFreq.numDocs).toBe(0);
    expect(Array.from(round.docFreq.counts).every((c) => c === 0)).toBe(true);
    expect(attempt(() => round.submit('a', report([1], [1], 1), 10))).toBe('OK');
    expect(attempt(() => round.submit('a', report([1], [1], 1), 10))).toBe('DUPLICATE_UPDATE');
  });

  it('in a secure round: refuses plain reports, takes masked answers once, and keeps only a sum that can be honest', () => {
    const round = new StatsRound('s-2', Date.now() + 1000, 3, { maxDocs: 50 });
    round.ask('a');
    round.ask('b');
    round.closeToNewcomers();
    round.ask('late');
    expect(round.wasAsked('late')).toBe(false);
    expect(() => round.submit('a', report([1], [1], 1, 's-2'), 10)).toThrow(/securely aggregated/);
    expect(() => round.acceptMasked('z', 's-2', 10)).toThrow(/not asked/);
    expect(() => round.acceptMasked('a', 's-1', 10)).toThrow(/not open/);
    round.acceptMasked('a', 's-2', 10);
    expect(() => round.acceptMasked('a', 's-2', 10)).toThrow(/already sent/);
    round.acceptMasked('b', 's-2', 20);
    expect(round.allAnswered).toBe(true);
    // The two hold 30 documents together: a sum of 31 is a lie, and so is a bucket in more documents than counted.
    expect(() => round.setSum(Uint32Array.from([1, 2, 3, 31]))).toThrow(/at most 30/);
    expect(() => round.setSum(Uint32Array.from([1, 9, 3, 8]))).toThrow(/bucket 1 occurs in 9/);
    expect(round.docFreq.numDocs).toBe(0);
    round.setSum(Uint32Array.from([1, 8, 3, 8]));
    expect(round.docFreq.numDocs).toBe(8);
    expect(Array.from(round.docFreq.counts)).toEqual([1, 8, 3]);
  });
});
