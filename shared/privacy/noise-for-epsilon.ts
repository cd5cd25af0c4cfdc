import { PrivacyAccountant } from './accountant.ts';

/**
 * The smallest noise multiplier z (to 4 significant digits, rounded up so the budget holds) for which `rounds`
 * rounds at sampling rate q spend at most `epsilon` at `delta`: how a researcher picks z for a target ε. ε falls
 * as z grows (more noise, less loss at every RDP order), so a bisection over z finds it.
 */
export function noiseForEpsilon(target: { epsilon: number; samplingRate: number; rounds: number; delta: number }): number {
  const { epsilon, samplingRate, rounds, delta } = target;
  if (!(epsilon > 0) || !Number.isFinite(epsilon)) throw new Error(`the target ε must be a positive number, got ${epsilon}`);
  if (!Number.isInteger(rounds) || rounds < 1) throw new Error(`rounds must be a positive integer, got ${rounds}`);
  const spent = (z: number) => new PrivacyAccountant({ noiseMultiplier: z, samplingRate, delta }).spentAfter(rounds).epsilon;
  let low = 0;
  let high = 1;
  while (spent(high) > epsilon) {
    low = high;
    high *= 2;
    if (high > 1e6) throw new Error(`no noise multiplier up to 1e6 keeps ${rounds} rounds at q = ${samplingRate} within ε = ${epsilon}`);
  }
  // Bisect to a relative width of 1e-6, then round up to 4 significant digits: a z a person can type, still in budget.
  while (high - low > 1e-6 * high) {
    const mid = (low + high) / 2;
    if (spent(mid) > epsilon) low = mid;
    else high = mid;
  }
  const magnitude = 10 ** (Math.floor(Math.log10(high)) - 3);
  return Number((Math.ceil(high / magnitude - 1e-9) * magnitude).toPrecision(4));
}
