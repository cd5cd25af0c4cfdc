import { describe, expect, it } from 'vitest';
import { Rng } from '../random/rng.ts';
import { clientNoiseFor, noisedUnclippedBit, noiseSharers, privatizedNormBound, privatizeUpdate, topUpStddev, unclippedBitRange } from './client-noise.ts';
import { seededRandomWords } from './gaussian-noise.ts';

const norm = (v: ArrayLike<number>) => Math.sqrt(Array.from(v).reduce((s, x) => s + x * x, 0));

describe('distributed noise shares', () => {
  it('shares the noise over the cohort less the tolerated dropouts, at least one client', () => {
    expect(noiseSharers(10, 0.2)).toBe(8);
    expect(noiseSharers(10, 0)).toBe(10);
    expect(noiseSharers(3, 0.2)).toBe(2);
    expect(noiseSharers(1, 0.5)).toBe(1);
    expect(() => noiseSharers(0, 0.2)).toThrow(/at least one/);
    expect(() => noiseSharers(5, 1)).toThrow(/\[0, 1\)/);
  });

  it('gives each client zC/√m, so m shares sum to the variance z²C²', () => {
    const share = clientNoiseFor(2, 50, 16);
    expect(share.noiseStddev).toBeCloseTo(25, 12); // 2 × 50 / 4
    expect(16 * share.noiseStddev ** 2).toBeCloseTo((2 * 50) ** 2, 9);
  });

  it('adaptive clipping: reports 1 when the norm before clipping is within C, else 0, with its share of the count noise', () => {
    expect(noisedUnclippedBit(Float32Array.of(3, 4), clientNoiseFor(1, 5, 4), seededRandomWords(new Rng(1)))).toBeUndefined();
    const exact = clientNoiseFor(0, 5, 4, 0);
    expect(noisedUnclippedBit(Float32Array.of(3, 4), exact, seededRandomWords(new Rng(1)))).toBe(1);
    expect(noisedUnclippedBit(Float32Array.of(3, 4.01), exact, seededRandomWords(new Rng(1)))).toBe(0);
    const noisy = clientNoiseFor(1, 5, 4, 2);
    expect(noisy.countNoiseStddev).toBe(1); // σ_b / √m = 2 / 2
    const random = seededRandomWords(new Rng(2));
    const bits = Array.from({ length: 4000 }, () => noisedUnclippedBit(Float32Array.of(3, 4), noisy, random) as number);
    const mean = bits.reduce((s, b) => s + b, 0) / bits.length;
    const sd = Math.sqrt(bits.reduce((s, b) => s + (b - mean) ** 2, 0) / bits.length);
    expect(Math.abs(mean - 1)).toBeLessThan(0.1);
    expect(Math.abs(sd - 1)).toBeLessThan(0.1);
    expect(unclippedBitRange(noisy)).toEqual([-10, 11]);
    expect(unclippedBitRange(exact)).toEqual([-0, 1]);
  });

  it('tops up exactly the missing shares: (m − s) z²C²/m, none when m or more arrived', () => {
    expect(topUpStddev(1, 10, 8, 8)).toBe(0);
    expect(topUpStddev(1, 10, 8, 9)).toBe(0);
    // 6 of 8 arrived: the sum holds 6/8 of the variance 100; the top-up adds the other 2/8 = 25 → σ 5.
    expect(topUpStddev(1, 10, 8, 6)).toBeCloseTo(5, 12);
    const arrived = 6;
    const sum = arrived * clientNoiseFor(1, 10, 8).noiseStddev ** 2 + topUpStddev(1, 10, 8, arrived) ** 2;
    expect(sum).toBeCloseTo(100, 9);
  });
});

describe('privatizeUpdate', () => {
  it('clips to C and adds nothing when the share is zero', () => {
    const delta = new Float32Array([3, 4, 0, 0]); // norm 5
    const out = privatizeUpdate(delta, { clipNorm: 1, noiseStddev: 0 }, seededRandomWords(new Rng(1)));
    expect(Array.from(out)).toEqual([expect.closeTo(0.6, 6), expect.closeTo(0.8, 6), 0, 0]);
    expect(Array.from(delta)).toEqual([3, 4, 0, 0]); // the input is not changed
    const small = privatizeUpdate(new Float32Array([0.3, 0.4]), { clipNorm: 1, noiseStddev: 0 }, seededRandomWords(new Rng(1)));
    expect(Array.from(small)).toEqual([expect.closeTo(0.3, 6), expect.closeTo(0.4, 6)]);
  });

  it('adds noise of the asked standard deviation on every coordinate, under the norm bound', () => {
    const length = 20_000;
    const noise = { clipNorm: 1, noiseStddev: 0.5 };
    const out = privatizeUpdate(new Float32Array(length), noise, seededRandomWords(new Rng(3)));
    let mean = 0;
    for (const x of out) mean += x / length;
    let variance = 0;
    for (const x of out) variance += (x - mean) ** 2 / (length - 1);
    expect(Math.abs(mean)).toBeLessThan(0.02);
    expect(Math.sqrt(variance)).toBeCloseTo(0.5, 1);
    expect(norm(out)).toBeLessThan(privatizedNormBound(noise, length));
    expect(norm(out)).toBeGreaterThan(0.5 * Math.sqrt(length) - 10);
  });

  it('is reproducible for a seeded source and differs between seeds', () => {
    const noise = { clipNorm: 1, noiseStddev: 1 };
    const a = privatizeUpdate(new Float32Array(8), noise, seededRandomWords(new Rng(9)));
    const b = privatizeUpdate(new Float32Array(8), noise, seededRandomWords(new Rng(9)));
    const c = privatizeUpdate(new Float32Array(8), noise, seededRandomWords(new Rng(10)));
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).not.toEqual(Array.from(c));
  });
});
