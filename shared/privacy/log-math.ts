import erfcx from '@stdlib/math-base-special-erfcx';

/**
 * Arithmetic on numbers held as their logarithms, for the accountant's sums of terms that overflow or underflow
 * float64 (exp((α² − α)/2σ²) at α = 256 is far beyond it, while the binomial weights are far below 1e-308).
 */

/** log(e^x + e^y). */
export function logAdd(x: number, y: number): number {
  const high = Math.max(x, y);
  const low = Math.min(x, y);
  if (low === -Infinity) return high;
  return high + Math.log1p(Math.exp(low - high));
}

/**
 * log(erfc(x)), accurate where erfc itself underflows: erfc(x) = e^(−x²)·erfcx(x) for x > 0 (erfc(30) ≈ 1e-393
 * is 0 in float64, yet the sampled Gaussian's series multiplies such terms by e^(i²/2σ²) and needs their
 * logarithm), and 2 − erfc(−x) for x ≤ 0, which lies in [1, 2].
 */
export function logErfc(x: number): number {
  if (x > 0) return Math.log(erfcx(x)) - x * x;
  return Math.log(2 - Math.exp(-x * x) * erfcx(-x));
}
