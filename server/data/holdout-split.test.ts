import { describe, expect, it } from 'vitest';
import type { Example } from '../../shared/data/example.ts';
import { holdoutSplit } from './holdout-split.ts';

function examples(negatives: number, positives: number): Example[] {
  const out: Example[] = [];
  for (let i = 0; i < negatives; i++) out.push({ text: `neg ${i}`, label: 0 });
  for (let i = 0; i < positives; i++) out.push({ text: `pos ${i}`, label: 1 });
  return out;
}

const count = (items: Example[], label: 0 | 1): number => items.filter((e) => e.label === label).length;

describe('holdoutSplit', () => {
  it('takes round(n × fraction) of each label into test and keeps everything exactly once', () => {
    const pool = examples(10, 4);
    const { train, test } = holdoutSplit(pool, 0.25, 42);
    // negatives: round(2.5) = 3; positives: round(1.0) = 1
    expect([count(test, 0), count(test, 1)]).toEqual([3, 1]);
    expect([count(train, 0), count(train, 1)]).toEqual([7, 3]);
    expect(new Set([...train, ...test])).toEqual(new Set(pool));
  });

  it('keeps the input order within each half', () => {
    const pool = examples(6, 6);
    const { train, test } = holdoutSplit(pool, 0.5, 1);
    for (const half of [train, test]) {
      const positions = half.map((e) => pool.indexOf(e));
      expect(positions).toEqual([...positions].sort((a, b) => a - b));
    }
  });

  it('is deterministic for a seed and varies with it', () => {
    const pool = examples(20, 20);
    const first = holdoutSplit(pool, 0.3, 7).test.map((e) => e.text);
    expect(holdoutSplit(pool, 0.3, 7).test.map((e) => e.text)).toEqual(first);
    const others = [8, 9, 10].map((seed) => holdoutSplit(pool, 0.3, seed).test.map((e) => e.text).join('|'));
    expect(others.some((other) => other !== first.join('|'))).toBe(true);
  });

  it('puts at least one of each label on both sides when a label has two or more examples', () => {
    const { train, test } = holdoutSplit(examples(2, 1), 0.1, 3);
    // negatives: round(0.2) = 0, raised to 1; the lone positive: round(0.1) = 0 stays in train
    expect([count(test, 0), count(test, 1)]).toEqual([1, 0]);
    expect([count(train, 0), count(train, 1)]).toEqual([1, 1]);
  });

  it.each([0, 1, -0.2, Number.NaN])('rejects testFraction %s', (fraction) => {
    expect(() => holdoutSplit(examples(2, 2), fraction, 1)).toThrow(/testFraction must be between 0 and 1/);
  });
});
