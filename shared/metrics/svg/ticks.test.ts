import { describe, expect, it } from 'vitest';
import { buildAxis, formatTicks, niceStep } from './ticks.ts';

describe('niceStep', () => {
  it('rounds the raw step to 1, 2 or 5 times a power of ten', () => {
    expect(niceStep(1, 5)).toBe(0.2); // raw 0.2
    expect(niceStep(100, 5)).toBe(20); // raw 20
    expect(niceStep(7, 5)).toBe(1); // raw 1.4 < sqrt 2
    expect(niceStep(0.03, 5)).toBe(0.005); // raw 0.006 -> 6 >= sqrt 10
    expect(niceStep(800, 10)).toBe(100); // raw 80 -> 8 >= sqrt 50
  });
});

describe('buildAxis', () => {
  it('widens an accuracy range to whole steps and labels with equal decimals', () => {
    // span 0.35 / 5 = 0.07 -> step 0.05; 0.53 -> 0.50, 0.88 -> 0.90.
    const axis = buildAxis(0.53, 0.88, 5);
    expect(axis.domain).toEqual([0.5, 0.9]);
    expect(axis.ticks).toEqual([0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9]);
    expect(axis.labels).toEqual(['0.50', '0.55', '0.60', '0.65', '0.70', '0.75', '0.80', '0.85', '0.90']);
  });

  it('keeps a fixed domain and puts ticks on its nice multiples', () => {
    const axis = buildAxis(0.1, 0.2, 5, { fixedDomain: [0, 1] });
    expect(axis.domain).toEqual([0, 1]);
    expect(axis.labels).toEqual(['0.0', '0.2', '0.4', '0.6', '0.8', '1.0']);
  });

  it('only uses whole steps for integer axes such as rounds', () => {
    const axis = buildAxis(1, 3, 10, { integer: true });
    expect(axis).toEqual({ domain: [1, 3], ticks: [1, 2, 3], labels: ['1', '2', '3'] });
  });

  it('removes floating-point noise from tick values', () => {
    expect(buildAxis(0, 0.3, 3).ticks).toEqual([0, 0.1, 0.2, 0.3]);
  });

  it('gives a flat series and an empty chart a usable range', () => {
    const flat = buildAxis(5, 5, 5);
    expect(flat.domain[0]).toBeLessThan(5);
    expect(flat.domain[1]).toBeGreaterThan(5);
    expect(flat.ticks).toContain(5);
    expect(buildAxis(Infinity, -Infinity, 5).domain).toEqual([0, 1]);
  });
});

describe('formatTicks', () => {
  it('uses k and M suffixes for large values', () => {
    expect(formatTicks([0, 5000, 10000, 15000], 5000)).toEqual(['0', '5k', '10k', '15k']);
    expect(formatTicks([0, 2e6, 4e6], 2e6)).toEqual(['0', '2M', '4M']);
  });

  it('uses a true minus sign and exponents for tiny steps', () => {
    expect(formatTicks([-1, 0, 1], 1)).toEqual(['\u22121', '0', '1']);
    expect(formatTicks([0, 5e-5, 1e-4], 5e-5)).toEqual(['0', '5.0e-5', '1.0e-4']);
  });
});
