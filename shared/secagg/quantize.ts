/**
 * Fixed point in the ring Z_2^32, sized so that a cohort's sum cannot wrap. A client clips its update to L2 norm C,
 * so every coordinate lies in [−C, C]; scaled by s and rounded stochastically it becomes an integer q with
 * |q| ≤ B = ⌊s·C⌋ + 1. With s = (⌊(2^31 − 1) / n⌋ − 1) / C for a cohort of at most n clients, n·B ≤ 2^31 − 1, so
 * the sum of n such integers, read back as a signed 32-bit integer, is exact: no wrap, whatever the signs.
 * Stochastic rounding (up with probability equal to the fractional part) makes E[q / s] = x, so the rounding errors
 * of many clients average out instead of adding up; each coordinate of the decoded sum is within n / s of the true
 * sum of the clipped updates.
 */
export const RING_BITS = 32;
const MAX_SIGNED = 2 ** 31 - 1;

/** The scale s for clip norm C and a cohort of at most `cohortSize` clients (see above). */
export function ringScale(clipNorm: number, cohortSize: number): number {
  if (!(clipNorm > 0) || !Number.isFinite(clipNorm)) throw new Error(`the clip norm must be a positive finite number, not ${clipNorm}`);
  if (!Number.isInteger(cohortSize) || cohortSize < 1) throw new Error(`the cohort size must be a positive integer, not ${cohortSize}`);
  const perClient = Math.floor(MAX_SIGNED / cohortSize) - 1;
  if (perClient < 1) throw new Error(`a cohort of ${cohortSize} clients does not fit a 32-bit ring`);
  return perClient / clipNorm;
}

/** The largest |q| one client's quantized coordinate can take at scale s and clip norm C. */
export function quantizedBound(scale: number, clipNorm: number): number {
  return Math.floor(scale * clipNorm) + 1;
}

/** Largest per-coordinate error of a decoded sum of `cohortSize` quantized updates (each rounds by < 1 / s). */
export function sumErrorBound(scale: number, cohortSize: number): number {
  return cohortSize / scale;
}

/** The update scaled to L2 norm at most C (a copy; unchanged when already within it). Norm in float64. */
export function clipToNorm(delta: Float32Array, clipNorm: number): Float32Array {
  let squares = 0;
  for (let i = 0; i < delta.length; i++) squares += delta[i] * delta[i];
  const norm = Math.sqrt(squares);
  const out = new Float32Array(delta);
  if (norm > clipNorm) {
    const factor = clipNorm / norm;
    for (let i = 0; i < out.length; i++) out[i] *= factor;
  }
  return out;
}

/**
 * Quantizes a clipped update into the ring: q = ⌊x·s⌋ or one above, clamped to ±B (float32 rounding can put a
 * clipped coordinate a hair over C), stored modulo 2^32 (a Uint32Array wraps negative values by itself).
 * `random` gives uniforms in [0, 1): the rounding needs independence between clients, not secrecy (the masks hide q).
 */
export function quantize(clipped: Float32Array, scale: number, clipNorm: number, random: () => number): Uint32Array {
  const bound = quantizedBound(scale, clipNorm);
  const out = new Uint32Array(clipped.length);
  for (let i = 0; i < clipped.length; i++) {
    const v = clipped[i] * scale;
    const lo = Math.floor(v);
    const q = lo + (random() < v - lo ? 1 : 0);
    out[i] = Math.max(-bound, Math.min(bound, q));
  }
  return out;
}

/** The sum of quantized updates back in real numbers: each word read as a signed 32-bit integer, divided by s. */
export function dequantizeSum(sum: Uint32Array, scale: number): Float64Array {
  const signed = new Int32Array(sum.buffer, sum.byteOffset, sum.length);
  const out = new Float64Array(sum.length);
  for (let i = 0; i < sum.length; i++) out[i] = signed[i] / scale;
  return out;
}
