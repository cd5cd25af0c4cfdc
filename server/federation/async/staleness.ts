import { z } from 'zod';

/**
 * FedBuff's settings (Nguyen et al. 2022): how many updates make a version, how stale an update may be, and how
 * staleness discounts it. Shared by `chorus simulate --mode async` and `chorus serve --mode async`.
 */
export const asyncSettingsSchema = z.strictObject({
  /** K: buffered updates per new version. FedBuff's paper found K = 10 a good default across its tasks. */
  bufferSize: z.number().int().min(1).max(100_000).default(10),
  /**
   * S: an update trained on a version more than S versions behind the current one is refused (and counted).
   * Beyond it the discount alone would still let a very old update pull the model back towards where it was.
   */
  maxStaleness: z.number().int().min(0).max(1_000_000).default(20),
  /** C: clients training at once. */
  concurrency: z.number().int().min(1).max(100_000).default(50),
  /** a in the staleness weight (1 + s)^−a: 0.5 gives FedBuff's 1/√(1 + s), 0 weighs every update alike. */
  stalenessExponent: z.number().min(0).max(10).default(0.5),
});
export type AsyncSettings = z.output<typeof asyncSettingsSchema>;

/**
 * The weight of an update trained on a model s versions behind the current one: w(s) = (1 + s)^−a, by default
 * 1/√(1 + s) (FedBuff's choice): 1 for a fresh update, 0.71 one version behind, 0.5 three behind, 0.3 ten behind.
 * A polynomial, not an exponential, discount: a slow device's update keeps a real share of the vote, so slow
 * devices' data is not silently left out of the model, while an old update cannot pull as hard as a fresh one.
 */
export function stalenessWeight(staleness: number, exponent = 0.5): number {
  if (!(Number.isInteger(staleness) && staleness >= 0)) throw new RangeError(`staleness must be a whole number ≥ 0, got ${staleness}`);
  if (!(Number.isFinite(exponent) && exponent >= 0)) throw new RangeError(`staleness exponent must be a finite number ≥ 0, got ${exponent}`);
  return (1 + staleness) ** -exponent;
}

/** The delta scaled by its weight (a copy; the same array back when the weight is 1). */
export function weighDelta(delta: Float32Array, weight: number): Float32Array {
  if (weight === 1) return delta;
  const scaled = new Float32Array(delta.length);
  for (let i = 0; i < delta.length; i++) scaled[i] = delta[i] * weight;
  return scaled;
}
