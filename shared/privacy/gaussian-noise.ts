import type { Rng } from '../random/rng.ts';

/** Fills an array with uniformly random 32-bit words: the one thing the Gaussian sampler needs of a random source. */
export type RandomWords = (words: Uint32Array) => void;

/** The Web Crypto API's part the sampler uses; browsers, Web Workers and Node ≥ 20 all have `crypto.getRandomValues`. */
export interface CryptoLike {
  getRandomValues<T extends Uint32Array>(array: T): T;
}

/** getRandomValues fills at most 65,536 bytes per call. */
const maxWordsPerCall = 65_536 / 4;

/**
 * Random words from a cryptographic generator: the noise of differential privacy must not be predictable by whoever
 * knows (or can guess) a seed, or it can be subtracted. The caller passes `globalThis.crypto` (shared/ names no
 * runtime global).
 */
export function cryptoRandomWords(crypto: CryptoLike): RandomWords {
  return (words) => {
    for (let start = 0; start < words.length; start += maxWordsPerCall) {
      crypto.getRandomValues(words.subarray(start, Math.min(words.length, start + maxWordsPerCall)));
    }
  };
}

/** Random words from the seeded simulation generator: reproducible runs (`chorus simulate`), never a deployment. */
export function seededRandomWords(rng: Rng): RandomWords {
  return (words) => {
    for (let i = 0; i < words.length; i++) words[i] = rng.nextUint32();
  };
}

/** Standard normal samples per batch of random words (4 words make 2 normals). */
const normalsPerBatch = 8192;

/**
 * Adds independent N(0, stddev²) noise to every entry of `target`, in place. Box–Muller over 53-bit uniforms built
 * from pairs of 32-bit words. A float64 sampler is not an exact discrete Gaussian (Mironov 2012 shows that
 * floating-point Laplace noise can leak low-order bits); docs/privacy.md says so.
 */
export function addGaussianNoise(target: Float64Array, stddev: number, random: RandomWords): void {
  if (!(stddev >= 0) || !Number.isFinite(stddev)) throw new Error(`the noise standard deviation must be finite and ≥ 0, got ${stddev}`);
  if (stddev === 0) return;
  const words = new Uint32Array(normalsPerBatch * 2);
  for (let start = 0; start < target.length; start += normalsPerBatch) {
    random(words);
    const end = Math.min(target.length, start + normalsPerBatch);
    for (let i = start, w = 0; i < end; i += 2, w += 4) {
      // u1 in (0, 1] (its logarithm must be finite), u2 in [0, 1).
      const u1 = 1 - uniform53(words[w], words[w + 1]);
      const u2 = uniform53(words[w + 2], words[w + 3]);
      const radius = stddev * Math.sqrt(-2 * Math.log(u1));
      target[i] += radius * Math.cos(2 * Math.PI * u2);
      if (i + 1 < end) target[i + 1] += radius * Math.sin(2 * Math.PI * u2);
    }
  }
}

/** A uniform double in [0, 1) from 53 random bits (27 of `high`, 26 of `low`). */
function uniform53(high: number, low: number): number {
  return ((high >>> 5) * 67_108_864 + (low >>> 6)) / 9_007_199_254_740_992;
}
