import { describe, expect, it } from 'vitest';
import { Rng } from '../random/rng.ts';
import { clipToNorm, dequantizeSum, quantize, quantizedBound, ringScale, sumErrorBound } from './quantize.ts';

describe('fixed-point quantization into Z_2^32', () => {
  it('sizes the scale so that n clients at the bound sum to at most 2^31 − 1', () => {
    for (const [clip, n] of [[1, 1], [100, 3], [100, 100], [0.01, 1000], [1e6, 50_000]] as const) {
      const s = ringScale(clip, n);
      expect(n * quantizedBound(s, clip)).toBeLessThanOrEqual(2 ** 31 - 1);
    }
  });

  it('does not wrap at the bound: n clients all at +C (or −C) on one coordinate decode to ±n·C', () => {
    const clip = 5;
    const n = 200;
    const s = ringScale(clip, n);
    for (const sign of [1, -1]) {
      const x = new Float32Array([sign * clip, 0]);
      const sum = new Uint32Array(2);
      // random() = 0: always rounds up, the worst case for the bound.
      for (let k = 0; k < n; k++) {
        const q = quantize(x, s, clip, () => 0);
        for (let i = 0; i < 2; i++) sum[i] += q[i];
      }
      const decoded = dequantizeSum(sum, s);
      expect(Math.abs(decoded[0] - sign * n * clip)).toBeLessThanOrEqual(sumErrorBound(s, n));
      expect(Math.sign(decoded[0])).toBe(sign);
    }
  });

  it('decodes a sum of n random clipped updates within n / s of the true sum, and rounds without bias', () => {
    const rng = new Rng(3);
    const clip = 2;
    const n = 30;
    const s = ringScale(clip, n);
    const length = 500;
    const exact = new Float64Array(length);
    const sum = new Uint32Array(length);
    for (let k = 0; k < n; k++) {
      const x = clipToNorm(Float32Array.from({ length }, () => rng.next() * 2 - 1), clip);
      const q = quantize(x, s, clip, () => rng.next());
      for (let i = 0; i < length; i++) {
        exact[i] += x[i];
        sum[i] += q[i];
      }
    }
    const decoded = dequantizeSum(sum, s);
    const bound = sumErrorBound(s, n);
    let meanError = 0;
    for (let i = 0; i < length; i++) {
      expect(Math.abs(decoded[i] - exact[i])).toBeLessThanOrEqual(bound);
      meanError += (decoded[i] - exact[i]) / length;
    }
    expect(Math.abs(meanError)).toBeLessThan(bound / 10);
  });

  it('clips to the norm and leaves a short update as it is', () => {
    const long = clipToNorm(new Float32Array([3, 4]), 1);
    expect(Math.hypot(long[0], long[1])).toBeCloseTo(1, 6);
    expect(clipToNorm(new Float32Array([0.3, 0.4]), 1)).toEqual(new Float32Array([0.3, 0.4]));
  });

  it('refuses a clip norm or cohort that cannot be sized', () => {
    expect(() => ringScale(0, 3)).toThrow(/clip norm/);
    expect(() => ringScale(1, 0)).toThrow(/cohort size/);
    expect(() => ringScale(1, 2 ** 31)).toThrow(/does not fit/);
  });
});
