import { logAdd, logErfc } from './log-math.ts';

/**
 * Rényi differential privacy of the sampled Gaussian mechanism (Mironov, Talwar & Zhang 2019, "Rényi Differential
 * Privacy of the Sampled Gaussian Mechanism"): each record is included independently with probability q (Poisson
 * sampling), the sum of the included records — each of sensitivity 1 after clipping — gets N(0, σ²) noise. The
 * functions follow the computation of Google's dp_accounting (TensorFlow Privacy's accountant) and Opacus
 * (`compute_rdp`, `compute_eps`), so their published values are this module's tests.
 */

/**
 * RDP orders used when none are given: 1.1 to 10.9 by 0.1, 11 to 63, and 128, 256, 512, 1024 (TensorFlow
 * Privacy's defaults). Low orders win for large ε, high ones for small ε; ε is minimised over all of them.
 */
export const defaultOrders: readonly number[] = Object.freeze([
  ...Array.from({ length: 99 }, (_, i) => 1 + (i + 1) / 10),
  ...Array.from({ length: 53 }, (_, i) => 11 + i),
  128,
  256,
  512,
  1024,
]);

/**
 * RDP ε(α) of `steps` compositions of the sampled Gaussian mechanism with sampling rate q and noise multiplier σ
 * (noise standard deviation / sensitivity), one value per order. RDP composes by addition, so T steps cost T
 * times one step. q = 0 costs nothing; σ = 0 (no noise) is infinite.
 */
export function computeRdp(samplingRate: number, noiseMultiplier: number, steps: number, orders: readonly number[]): number[] {
  return orders.map((order) => (steps === 0 ? 0 : steps * rdpOfOneStep(samplingRate, noiseMultiplier, order)));
}

function rdpOfOneStep(q: number, sigma: number, alpha: number): number {
  if (q === 0) return 0;
  if (sigma === 0) return Infinity;
  // Without sampling the mechanism is the plain Gaussian, whose RDP is α / 2σ² (Mironov 2017, Proposition 7).
  if (q === 1) return alpha / (2 * sigma * sigma);
  if (!Number.isFinite(alpha)) return Infinity;
  const logA = Number.isInteger(alpha) ? logAInteger(q, sigma, alpha) : logAFractional(q, sigma, alpha);
  // A_α ≥ 1, so RDP ≥ 0; with a huge σ the sum rounds to just below 1 (log A ≈ −1e-16), which is 0.
  return Math.max(0, logA / (alpha - 1));
}

/**
 * log A_α for an integer α, in closed form (Mironov et al. 2019, Section 3.3):
 * A_α = Σ_{i=0..α} C(α, i) (1 − q)^(α−i) q^i exp((i² − i) / 2σ²).
 */
function logAInteger(q: number, sigma: number, alpha: number): number {
  const logQ = Math.log(q);
  const log1mQ = Math.log1p(-q);
  let logA = -Infinity;
  let logBinomial = 0; // log C(α, 0)
  for (let i = 0; i <= alpha; i++) {
    if (i > 0) logBinomial += Math.log(alpha - i + 1) - Math.log(i);
    const term = logBinomial + i * logQ + (alpha - i) * log1mQ + (i * i - i) / (2 * sigma * sigma);
    logA = logAdd(logA, term);
  }
  return logA;
}

/** Terms of the fractional series before it is declared divergent and the order dropped (as dp_accounting does). */
const maxFractionalTerms = 1000;

/**
 * log A_α for a fractional α, by the series of Mironov et al. 2019 (Section 3.3), summed in log space: the
 * integral splits at z0 = σ² log(1/q − 1) + 1/2, each half a series in the generalised binomial coefficients
 * C(α, i). As in Google's current dp_accounting (whose values the tests check), the terms are added in absolute
 * value: C(α, i) changes sign once i > α + 1, and summing |terms| bounds A_α from above (a conservative ε) where
 * the signed sum loses digits to cancellation. It stops once both halves' terms are decreasing and e^30 below the
 * total; a series that has not converged within 1000 terms makes the order unusable (Infinity), never a guess.
 */
function logAFractional(q: number, sigma: number, alpha: number): number {
  const variance = sigma * sigma;
  const z0 = variance * Math.log(1 / q - 1) + 0.5;
  const logQ = Math.log(q);
  const log1mQ = Math.log1p(-q);
  let logA0 = -Infinity;
  let logA1 = -Infinity;
  let lastS0 = -Infinity;
  let lastS1 = -Infinity;
  let logAbsBinomial = 0; // log |C(α, 0)|
  for (let i = 0; i < maxFractionalTerms; i++) {
    if (i > 0) logAbsBinomial += Math.log(Math.abs(alpha - i + 1)) - Math.log(i);
    const j = alpha - i;
    const logT0 = logAbsBinomial + i * logQ + j * log1mQ;
    const logT1 = logAbsBinomial + j * logQ + i * log1mQ;
    const logE0 = Math.log(0.5) + logErfc((i - z0) / (Math.SQRT2 * sigma));
    const logE1 = Math.log(0.5) + logErfc((z0 - j) / (Math.SQRT2 * sigma));
    const logS0 = logT0 + (i * i - i) / (2 * variance) + logE0;
    const logS1 = logT1 + (j * j - j) / (2 * variance) + logE1;
    logA0 = logAdd(logA0, logS0);
    logA1 = logAdd(logA1, logS1);
    const total = logAdd(logA0, logA1);
    if (logS0 < lastS0 && logS1 < lastS1 && Math.max(logS0, logS1) < total - 30) return total;
    lastS0 = logS0;
    lastS1 = logS1;
  }
  return Infinity;
}

/** The (ε, δ) guarantee an RDP curve gives, and the order that gives it. */
export interface EpsilonAtOrder {
  epsilon: number;
  order: number;
}

/**
 * The smallest ε over the orders such that the mechanism is (ε, δ)-DP, by the conversion of Canonne, Kamath &
 * Steinke 2020 (Proposition 12) / Balle et al. 2020 (Theorem 21), as TensorFlow Privacy and Opacus use it:
 * ε = rdp(α) + log((α − 1)/α) − (log δ + log α)/(α − 1). Tighter than Mironov 2017's rdp − log δ/(α − 1).
 * An order whose RDP is already below what δ allows (δ² > 1 − e^−rdp, by the KL bound) gives ε = 0; orders at or
 * below 1.01 are skipped (the formula is unstable as α → 1).
 */
export function rdpToEpsilon(orders: readonly number[], rdp: readonly number[], delta: number): EpsilonAtOrder {
  if (orders.length !== rdp.length) throw new Error(`rdpToEpsilon: ${orders.length} orders but ${rdp.length} RDP values`);
  if (orders.length === 0) throw new Error('rdpToEpsilon: no orders');
  if (!(delta > 0 && delta < 1)) throw new Error(`rdpToEpsilon: δ must be in (0, 1), got ${delta}`);
  let best: EpsilonAtOrder = { epsilon: Infinity, order: orders[0] };
  orders.forEach((order, k) => {
    const value = rdp[k];
    if (!(order >= 1)) throw new Error(`rdpToEpsilon: orders must be ≥ 1, got ${order}`);
    if (!(value >= 0)) throw new Error(`rdpToEpsilon: RDP values must be ≥ 0, got ${value} at order ${order}`);
    let epsilon: number;
    if (delta * delta + Math.expm1(-value) > 0) epsilon = 0;
    else if (order > 1.01) epsilon = value + Math.log1p(-1 / order) - Math.log(delta * order) / (order - 1);
    else epsilon = Infinity;
    if (epsilon < best.epsilon) best = { epsilon, order };
  });
  return { epsilon: Math.max(0, best.epsilon), order: best.order };
}
