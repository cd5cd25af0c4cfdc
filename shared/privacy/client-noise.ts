import { z } from 'zod';
import { addGaussianNoise, type RandomWords } from './gaussian-noise.ts';

/**
 * Distributed differential privacy: each client clips its own update to C and adds its share of the Gaussian noise
 * before the update leaves the device, so that the sum of the round's updates carries N(0, z²C²) per coordinate
 * without any one party ever holding a less-noised sum (with secure aggregation, the server sees only that sum).
 *
 * Shares: a client adds N(0, z²C²/m), where m is the number of updates the round must receive, the cohort minus
 * the dropouts it tolerates. With s ≥ m updates the sum's noise variance is s·z²C²/m ≥ z²C²: a few more clients
 * than m only add noise. With s < m the server tops the sum up with N(0, (m − s)·z²C²/m) (`topUpStddev`); that
 * part is central noise, so an operator who skips it gets a sum less private than promised, which is why m is
 * the cohort less a tolerance, not the cohort.
 */
export const clientNoiseSchema = z.strictObject({
  /** C: the client scales its update to at most this L2 norm before adding noise. */
  clipNorm: z.number().positive().max(1e12),
  /** The standard deviation of the noise the client adds to every coordinate: z·C/√m. */
  noiseStddev: z.number().min(0).max(1e12),
  /**
   * Adaptive clipping: the client also reports whether its update's norm was at most C (1 or 0), plus N(0, this²),
   * its share σ_b/√m of the clipped count's noise. Absent: C is fixed and no count is reported.
   */
  countNoiseStddev: z.number().min(0).max(1e12).optional(),
});
export type ClientNoise = z.infer<typeof clientNoiseSchema>;

/** m: how many of `cohort` clients the noise is shared over, tolerating that share of dropouts (at least 1). */
export function noiseSharers(cohort: number, dropoutTolerance: number): number {
  if (!Number.isInteger(cohort) || cohort < 1) throw new Error(`a cohort has at least one client, got ${cohort}`);
  if (!(dropoutTolerance >= 0 && dropoutTolerance < 1)) throw new Error(`the dropout tolerance is in [0, 1), got ${dropoutTolerance}`);
  return Math.max(1, Math.floor(cohort * (1 - dropoutTolerance) + 1e-9));
}

/**
 * What each client of a cohort is asked to do: clip to C, add N(0, (zC)²/m); with adaptive clipping (`countNoise`
 * = σ_b), also report its unclipped bit with N(0, σ_b²/m).
 */
export function clientNoiseFor(noiseMultiplier: number, clipNorm: number, sharers: number, countNoise?: number): ClientNoise {
  const noise: ClientNoise = { clipNorm, noiseStddev: (noiseMultiplier * clipNorm) / Math.sqrt(sharers) };
  if (countNoise !== undefined) noise.countNoiseStddev = countNoise / Math.sqrt(sharers);
  return noise;
}

/**
 * Adaptive clipping's report from one client: 1 when the update's norm (before clipping) was at most C, else 0,
 * plus its share of the count's noise; undefined when the round does not ask for it.
 */
export function noisedUnclippedBit(delta: Float32Array, noise: ClientNoise, random: RandomWords): number | undefined {
  if (noise.countNoiseStddev === undefined) return undefined;
  let squares = 0;
  for (let i = 0; i < delta.length; i++) squares += delta[i] * delta[i];
  const bit = new Float64Array([Math.sqrt(squares) <= noise.clipNorm ? 1 : 0]);
  addGaussianNoise(bit, noise.countNoiseStddev, random);
  return bit[0];
}

/**
 * The range an honest client's noised bit lies in (all but a 1e-23 chance: ten standard deviations): the server
 * clamps a report to it, so that no client can move C by more than an honest one could.
 */
export function unclippedBitRange(noise: ClientNoise): [number, number] {
  const spread = 10 * (noise.countNoiseStddev ?? 0);
  return [-spread, 1 + spread];
}

/** The standard deviation the server adds when only `arrived` of the `sharers` updates came: 0 when enough did. */
export function topUpStddev(noiseMultiplier: number, clipNorm: number, sharers: number, arrived: number): number {
  if (arrived >= sharers) return 0;
  return noiseMultiplier * clipNorm * Math.sqrt((sharers - arrived) / sharers);
}

/**
 * The update as it leaves the client: scaled to L2 norm ≤ C, then noised. `random` must be a cryptographic source
 * outside simulations (noise a seed could reproduce could be subtracted).
 */
export function privatizeUpdate(delta: Float32Array, noise: ClientNoise, random: RandomWords): Float32Array {
  let squares = 0;
  for (let i = 0; i < delta.length; i++) squares += delta[i] * delta[i];
  const norm = Math.sqrt(squares);
  const scale = norm > noise.clipNorm ? noise.clipNorm / norm : 1;
  const noised = new Float64Array(delta.length);
  for (let i = 0; i < delta.length; i++) noised[i] = scale * delta[i];
  addGaussianNoise(noised, noise.noiseStddev, random);
  return Float32Array.from(noised);
}

/**
 * The largest L2 norm an honest client's privatized update has (all but a 1e-20 chance): C plus the noise's norm,
 * which concentrates at σ√d with a spread of about σ/√2. The server clips anything above it: such an update is not
 * one an honest client sends, and the bound keeps one client's weight in the sum finite.
 */
export function privatizedNormBound(noise: ClientNoise, length: number): number {
  return noise.clipNorm + noise.noiseStddev * (Math.sqrt(length) + 10);
}
