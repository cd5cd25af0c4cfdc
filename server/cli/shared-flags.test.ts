import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CliError, parseFlags } from './errors.ts';
import { intFlag, numberFlag, positiveFlag } from './shared-flags.ts';

const schema = z.object({ epochs: intFlag(1, 1000), l2: numberFlag(0, 100), lr: positiveFlag(100), hashBits: intFlag(8, 24) });
const valid = { epochs: '3', l2: '0', lr: '0.01', hashBits: '12' };

function messageOf(flags: Record<string, unknown>): string {
  try {
    parseFlags(schema, flags);
  } catch (error) {
    expect(error).toBeInstanceOf(CliError);
    return (error as Error).message;
  }
  throw new Error('expected parseFlags to fail');
}

describe('numeric flags', () => {
  it('parse decimal, exponent and already-numeric values', () => {
    expect(parseFlags(schema, valid)).toEqual({ epochs: 3, l2: 0, lr: 0.01, hashBits: 12 });
    expect(parseFlags(schema, { ...valid, epochs: ' 1e2 ', lr: 5 })).toMatchObject({ epochs: 100, lr: 5 });
  });

  it.each([
    [{ epochs: 'abc' }, '--epochs: must be a whole number (got "abc")'],
    [{ epochs: '' }, '--epochs: must be a whole number (got "")'],
    [{ epochs: '2.5' }, '--epochs: must be a whole number (got "2.5")'],
    [{ epochs: 'Infinity' }, '--epochs: must be a whole number (got "Infinity")'],
    [{ epochs: '0' }, '--epochs: must be at least 1 (got 0)'],
    [{ epochs: '1001' }, '--epochs: must be at most 1000 (got 1001)'],
    [{ l2: '-0.5' }, '--l2: must be at least 0 (got -0.5)'],
    [{ l2: 'NaN' }, '--l2: must be a number (got "NaN")'],
    [{ lr: '0' }, '--lr: must be greater than 0 (got 0)'],
    [{ lr: '1e3' }, '--lr: must be at most 100 (got 1000)'],
    [{ hashBits: '7' }, '--hash-bits: must be at least 8 (got 7)'],
  ])('%o → %s', (change, message) => {
    expect(messageOf({ ...valid, ...change })).toBe(message);
  });

  it('reports every bad flag on one line', () => {
    expect(messageOf({ ...valid, epochs: 'x', lr: '-1' })).toBe('--epochs: must be a whole number (got "x"); --lr: must be greater than 0 (got -1)');
  });
});
