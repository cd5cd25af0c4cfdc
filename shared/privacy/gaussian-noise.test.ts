import { describe, expect, it } from 'vitest';
import { Rng } from '../random/rng.ts';
import { addGaussianNoise, cryptoRandomWords, seededRandomWords } from './gaussian-noise.ts';

function moments(values: Float64Array): { mean: number; variance: number } {
  let sum = 0;
  for (const v of values) sum += v;
  const mean = sum / values.length;
  let squares = 0;
  for (const v of values) squares += (v - mean) ** 2;
  return { mean, variance: squares / (values.length - 1) };
}

describe('addGaussianNoise', () => {
  // 200,000 samples: the mean's standard error is σ/447 and the variance's about σ²/316, so 6 standard errors
  // below bound a wrong scale (a factor of 2 in σ is 4× in the variance) with room to spare.
  const n = 200_000;
  const sigma = 3;

  it('adds N(0, σ²) noise from the cryptographic source', () => {
    const values = new Float64Array(n);
    addGaussianNoise(values, sigma, cryptoRandomWords(globalThis.crypto));
    const { mean, variance } = moments(values);
    expect(Math.abs(mean)).toBeLessThan((6 * sigma) / Math.sqrt(n));
    expect(Math.abs(variance / (sigma * sigma) - 1)).toBeLessThan(6 * Math.sqrt(2 / n));
  });

  it('has Gaussian tails: about 4.55% of samples beyond 2σ and 0.27% beyond 3σ', () => {
    const values = new Float64Array(n);
    addGaussianNoise(values, 1, cryptoRandomWords(globalThis.crypto));
    const beyond = (k: number) => values.filter((v) => Math.abs(v) > k).length / n;
    expect(beyond(2)).toBeGreaterThan(0.043);
    expect(beyond(2)).toBeLessThan(0.048);
    expect(beyond(3)).toBeGreaterThan(0.0022);
    expect(beyond(3)).toBeLessThan(0.0032);
  });

  it('adds to what is there, fills odd lengths, and is reproducible only with the seeded source', () => {
    const a = new Float64Array(5).fill(10);
    const b = new Float64Array(5).fill(10);
    addGaussianNoise(a, 1, seededRandomWords(new Rng(7)));
    addGaussianNoise(b, 1, seededRandomWords(new Rng(7)));
    expect(a).toEqual(b);
    expect(a.every((v) => v !== 10)).toBe(true);
    const c = new Float64Array(5).fill(10);
    addGaussianNoise(c, 1, cryptoRandomWords(globalThis.crypto));
    expect(c).not.toEqual(a);
  });

  it('adds nothing at σ = 0 and rejects a negative or infinite σ', () => {
    const values = new Float64Array(3).fill(1);
    addGaussianNoise(values, 0, cryptoRandomWords(globalThis.crypto));
    expect([...values]).toEqual([1, 1, 1]);
    expect(() => addGaussianNoise(values, -1, cryptoRandomWords(globalThis.crypto))).toThrow(/≥ 0/);
    expect(() => addGaussianNoise(values, Infinity, cryptoRandomWords(globalThis.crypto))).toThrow(/finite/);
  });
});
