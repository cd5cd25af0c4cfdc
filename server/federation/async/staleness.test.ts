import { describe, expect, it } from 'vitest';
import { asyncSettingsSchema, stalenessWeight, weighDelta } from './staleness.ts';

describe('stalenessWeight', () => {
  it('is 1/√(1 + s) by default', () => {
    expect(stalenessWeight(0)).toBe(1);
    expect(stalenessWeight(3)).toBe(0.5);
    expect(stalenessWeight(8)).toBeCloseTo(1 / 3, 12);
  });

  it('is (1 + s)^−a for another exponent, and 1 everywhere at a = 0', () => {
    expect(stalenessWeight(3, 1)).toBe(0.25);
    expect(stalenessWeight(50, 0)).toBe(1);
  });

  it('refuses a negative or fractional staleness and a bad exponent', () => {
    expect(() => stalenessWeight(-1)).toThrow(/whole number/);
    expect(() => stalenessWeight(1.5)).toThrow(/whole number/);
    expect(() => stalenessWeight(1, Number.NaN)).toThrow(/exponent/);
  });
});

describe('weighDelta', () => {
  it('scales a copy, and returns the same array at weight 1', () => {
    const delta = Float32Array.of(2, -4);
    expect([...weighDelta(delta, 0.5)]).toEqual([1, -2]);
    expect([...delta]).toEqual([2, -4]);
    expect(weighDelta(delta, 1)).toBe(delta);
  });
});

describe('asyncSettingsSchema', () => {
  it('fills in the defaults and names a bad value', () => {
    expect(asyncSettingsSchema.parse({})).toEqual({ bufferSize: 10, maxStaleness: 20, concurrency: 50, stalenessExponent: 0.5 });
    const parsed = asyncSettingsSchema.safeParse({ bufferSize: 0 });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0].path).toEqual(['bufferSize']);
  });
});
